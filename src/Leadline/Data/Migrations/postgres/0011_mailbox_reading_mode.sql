-- How the poller reads each mailbox, as the server allowed at the last connection, for the status view:
-- wait_mode is 'idle' (told of new mail at once) or 'polling' (the server has no IDLE: searched every
-- POLLER_INTERVAL_SECONDS); marking is 'keyword' ($LeadlineProcessed and \Seen), 'seen' (\Seen and the highest UID read,
-- for servers that keep no keywords) or 'uid' (the highest UID read only, for mailboxes that cannot be flagged at all).
ALTER TABLE mailbox_status ADD COLUMN wait_mode TEXT;
ALTER TABLE mailbox_status ADD COLUMN marking TEXT;
