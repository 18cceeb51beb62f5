-- Times are Unix epoch milliseconds (UTC); ids are time-ordered GUIDs stored as text.
CREATE TABLE instance_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active',
    api_key_hash   TEXT UNIQUE,
    api_key_prefix TEXT,
    config         TEXT NOT NULL,
    config_version INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE config_versions (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    version    INTEGER NOT NULL,
    snapshot   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE faqs (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    external_id  TEXT,
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]',
    translations TEXT NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX faqs_tenant ON faqs (tenant_id);

-- Full-text index over FAQs, kept in step with the table by triggers.
CREATE VIRTUAL TABLE faqs_fts USING fts5(
    question, answer, faq_id UNINDEXED, tenant_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER faqs_fts_insert AFTER INSERT ON faqs BEGIN
    INSERT INTO faqs_fts (question, answer, faq_id, tenant_id)
    VALUES (new.question, new.answer, new.id, new.tenant_id);
END;
CREATE TRIGGER faqs_fts_update AFTER UPDATE ON faqs BEGIN
    DELETE FROM faqs_fts WHERE faq_id = old.id;
    INSERT INTO faqs_fts (question, answer, faq_id, tenant_id)
    VALUES (new.question, new.answer, new.id, new.tenant_id);
END;
CREATE TRIGGER faqs_fts_delete AFTER DELETE ON faqs BEGIN
    DELETE FROM faqs_fts WHERE faq_id = old.id;
END;

CREATE TABLE leads (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    email            TEXT,
    phone            TEXT,
    first_name       TEXT,
    last_name        TEXT,
    source           TEXT,
    channel          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'NEW',
    score            TEXT NOT NULL DEFAULT 'UNSCORED',
    qualification    TEXT NOT NULL DEFAULT '{}',
    escalated        INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    first_reply_at   INTEGER,
    speed_to_lead_ms INTEGER
);
CREATE INDEX leads_tenant_email ON leads (tenant_id, email);
CREATE INDEX leads_tenant_phone ON leads (tenant_id, phone);
CREATE INDEX leads_tenant_created ON leads (tenant_id, created_at);

CREATE TABLE conversations (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    lead_id            TEXT NOT NULL REFERENCES leads(id),
    channel            TEXT NOT NULL,
    subject            TEXT,
    status             TEXT NOT NULL DEFAULT 'open',
    escalated          INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX conversations_lead ON conversations (tenant_id, lead_id, status);

CREATE TABLE messages (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants(id),
    conversation_id     TEXT NOT NULL REFERENCES conversations(id),
    lead_id             TEXT NOT NULL REFERENCES leads(id),
    direction           TEXT NOT NULL,
    author              TEXT NOT NULL,
    channel             TEXT NOT NULL,
    subject             TEXT,
    body                TEXT NOT NULL,
    status              TEXT NOT NULL,
    fingerprint         TEXT,
    external_id         TEXT,
    reply_to_id         TEXT UNIQUE,
    provider_message_id TEXT,
    config_version      INTEGER,
    engine              TEXT,
    faq_ids             TEXT,
    confidence          REAL,
    fallback            INTEGER,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    latency_ms          INTEGER,
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER
);
CREATE INDEX messages_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_dedupe ON messages (tenant_id, lead_id, fingerprint, created_at);

CREATE TABLE inbound_events (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    source          TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    status          TEXT NOT NULL,
    lead_id         TEXT,
    conversation_id TEXT,
    message_id      TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, source, external_id)
);

CREATE TABLE audit_events (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL,
    lead_id        TEXT,
    kind           TEXT NOT NULL,
    data           TEXT NOT NULL,
    config_version INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX audit_events_lead ON audit_events (tenant_id, lead_id, created_at);

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    tenant_id        TEXT,
    payload          TEXT NOT NULL,
    unique_key       TEXT UNIQUE,
    status           TEXT NOT NULL DEFAULT 'pending',
    run_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX jobs_claim ON jobs (status, run_at);
