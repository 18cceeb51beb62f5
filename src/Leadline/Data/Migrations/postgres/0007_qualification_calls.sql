-- Outbound qualification calls (PRODUCT.md 2.9): one row per call, with the questions as they were when it started.
-- status: queued (not dialed yet), dialing (Twilio accepted it), in-progress (answered), then Twilio's outcome:
-- completed, no-answer, busy, failed or canceled.
CREATE TABLE qualification_calls (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL REFERENCES tenants(id),
    lead_id           uuid NOT NULL REFERENCES leads(id),
    to_number         text NOT NULL,
    started_by        text NOT NULL,
    status            text NOT NULL,
    questions         text NOT NULL,
    provider_call_sid text,
    attempts          integer NOT NULL DEFAULT 0,
    last_error        text,
    duration_seconds  integer,
    created_at        bigint NOT NULL,
    updated_at        bigint NOT NULL,
    answered_at       bigint,
    ended_at          bigint,
    finalized_at      bigint
);
CREATE INDEX qualification_calls_lead ON qualification_calls (tenant_id, lead_id, created_at);

-- One answer per question and call: a webhook Twilio repeats finds the row and adds nothing.
CREATE TABLE qualification_call_answers (
    call_id        uuid NOT NULL REFERENCES qualification_calls(id),
    tenant_id      uuid NOT NULL REFERENCES tenants(id),
    question_index integer NOT NULL,
    question       text NOT NULL,
    status         text NOT NULL,
    answer         text,
    confidence     double precision,
    created_at     bigint NOT NULL,
    PRIMARY KEY (call_id, question_index)
);
