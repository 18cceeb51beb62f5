-- Who may not be messaged: one row per tenant and contact (E.164 phone or lower-case e-mail address).
CREATE TABLE opt_outs (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    contact     text NOT NULL,
    opted_out   boolean NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (tenant_id, contact)
);

-- Consent evidence, append-only: every opt-in, opt-out and consent statement with where it came from.
CREATE TABLE consent_events (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    lead_id     uuid,
    contact     text NOT NULL,
    kind        text NOT NULL,
    source      text NOT NULL,
    wording     text,
    ip          text,
    reference   text,
    created_at  bigint NOT NULL
);
CREATE INDEX consent_events_lead ON consent_events (tenant_id, lead_id, created_at);
CREATE INDEX consent_events_contact ON consent_events (tenant_id, contact, created_at);
