-- Outbound qualification calls (PRODUCT.md 2.9): one row per call, with the questions as they were when it started.
-- status: queued (not dialed yet), dialing (Twilio accepted it), in-progress (answered), then Twilio's outcome:
-- completed, no-answer, busy, failed or canceled.
CREATE TABLE qualification_calls (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    lead_id           TEXT NOT NULL REFERENCES leads(id),
    to_number         TEXT NOT NULL,
    started_by        TEXT NOT NULL,
    status            TEXT NOT NULL,
    questions         TEXT NOT NULL,
    provider_call_sid TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT,
    duration_seconds  INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    answered_at       INTEGER,
    ended_at          INTEGER,
    finalized_at      INTEGER
);
CREATE INDEX qualification_calls_lead ON qualification_calls (tenant_id, lead_id, created_at);

-- One answer per question and call: a webhook Twilio repeats finds the row and adds nothing.
CREATE TABLE qualification_call_answers (
    call_id        TEXT NOT NULL REFERENCES qualification_calls(id),
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    question_index INTEGER NOT NULL,
    question       TEXT NOT NULL,
    status         TEXT NOT NULL,
    answer         TEXT,
    confidence     REAL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (call_id, question_index)
);
