-- The lead's own IANA time zone, from its phone number at intake (+1 213 is America/Los_Angeles), for the
-- 8:00-21:00 texting and calling window. Null when the number has several zones or none (or the lead has no
-- number): the tenant's zone then applies, read at use so that a tenant who changes its zone moves those leads too.
ALTER TABLE leads ADD COLUMN timezone TEXT;
