-- Who may not be messaged: one row per tenant and contact (E.164 phone or lower-case e-mail address).
CREATE TABLE opt_outs (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    contact     TEXT NOT NULL,
    opted_out   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, contact)
);

-- Consent evidence, append-only: every opt-in, opt-out and consent statement with where it came from.
CREATE TABLE consent_events (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    lead_id     TEXT,
    contact     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    wording     TEXT,
    ip          TEXT,
    reference   TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX consent_events_lead ON consent_events (tenant_id, lead_id, created_at);
CREATE INDEX consent_events_contact ON consent_events (tenant_id, contact, created_at);
