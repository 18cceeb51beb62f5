-- Calls to a tenant's number that rang the owner or went unanswered (PRODUCT.md 2.9), one row per call: a webhook
-- Twilio retries finds its call here, and every decision (mode, outcome, the lead texted) outlives a restart.
-- source is 'twilio' (call_sid is Twilio's CallSid) or 'webhook' (another phone system's call_id).
CREATE TABLE missed_calls (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    source          TEXT NOT NULL,
    call_sid        TEXT NOT NULL,
    caller          TEXT,
    called          TEXT,
    mode            TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    dial_status     TEXT,
    lead_id         TEXT,
    conversation_id TEXT,
    message_id      TEXT,
    called_at       INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, source, call_sid)
);
CREATE INDEX missed_calls_caller ON missed_calls (tenant_id, caller, created_at);

-- The last text-back each caller got: one row per tenant and caller, so "at most one text a day" is a single
-- conditional upsert that concurrent webhooks cannot both win.
CREATE TABLE missed_call_texts (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    caller     TEXT NOT NULL,
    call_sid   TEXT NOT NULL,
    texted_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, caller)
);
