-- Calls to a tenant's number that rang the owner or went unanswered (PRODUCT.md 2.9), one row per call: a webhook
-- Twilio retries finds its call here, and every decision (mode, outcome, the lead texted) outlives a restart.
-- source is 'twilio' (call_sid is Twilio's CallSid) or 'webhook' (another phone system's call_id).
CREATE TABLE missed_calls (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants(id),
    source          text NOT NULL,
    call_sid        text NOT NULL,
    caller          text,
    called          text,
    mode            text NOT NULL,
    outcome         text NOT NULL,
    dial_status     text,
    lead_id         uuid,
    conversation_id uuid,
    message_id      uuid,
    called_at       bigint NOT NULL,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    UNIQUE (tenant_id, source, call_sid)
);
CREATE INDEX missed_calls_caller ON missed_calls (tenant_id, caller, created_at);

-- The last text-back each caller got: one row per tenant and caller, so "at most one text a day" is a single
-- conditional upsert that concurrent webhooks cannot both win.
CREATE TABLE missed_call_texts (
    tenant_id  uuid NOT NULL REFERENCES tenants(id),
    caller     text NOT NULL,
    call_sid   text NOT NULL,
    texted_at  bigint NOT NULL,
    PRIMARY KEY (tenant_id, caller)
);
