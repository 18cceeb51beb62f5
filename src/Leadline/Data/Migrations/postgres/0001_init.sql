-- Times are Unix epoch milliseconds (UTC); ids are time-ordered UUIDs.
CREATE TABLE instance_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE tenants (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    status         text NOT NULL DEFAULT 'active',
    api_key_hash   text UNIQUE,
    api_key_prefix text,
    config         text NOT NULL,
    config_version integer NOT NULL DEFAULT 1,
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL
);

CREATE TABLE config_versions (
    tenant_id  uuid NOT NULL REFERENCES tenants(id),
    version    integer NOT NULL,
    snapshot   text NOT NULL,
    reason     text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE faqs (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    external_id  text,
    question     text NOT NULL,
    answer       text NOT NULL,
    tags         text NOT NULL DEFAULT '[]',
    translations text NOT NULL DEFAULT '{}',
    created_at   bigint NOT NULL,
    updated_at   bigint NOT NULL,
    -- Question words weigh more than answer words in the ranking.
    search       tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', question), 'A') ||
                     setweight(to_tsvector('english', answer), 'B')) STORED
);
CREATE INDEX faqs_tenant ON faqs (tenant_id);
CREATE INDEX faqs_search ON faqs USING gin (search);

CREATE TABLE leads (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants(id),
    email            text,
    phone            text,
    first_name       text,
    last_name        text,
    source           text,
    channel          text NOT NULL,
    state            text NOT NULL DEFAULT 'NEW',
    score            text NOT NULL DEFAULT 'UNSCORED',
    qualification    text NOT NULL DEFAULT '{}',
    escalated        boolean NOT NULL DEFAULT false,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL,
    first_reply_at   bigint,
    speed_to_lead_ms bigint
);
CREATE INDEX leads_tenant_email ON leads (tenant_id, email);
CREATE INDEX leads_tenant_phone ON leads (tenant_id, phone);
CREATE INDEX leads_tenant_created ON leads (tenant_id, created_at);

CREATE TABLE conversations (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants(id),
    lead_id    uuid NOT NULL REFERENCES leads(id),
    channel    text NOT NULL,
    subject    text,
    status     text NOT NULL DEFAULT 'open',
    escalated  boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX conversations_lead ON conversations (tenant_id, lead_id, status);

CREATE TABLE messages (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants(id),
    conversation_id     uuid NOT NULL REFERENCES conversations(id),
    lead_id             uuid NOT NULL REFERENCES leads(id),
    direction           text NOT NULL,
    author              text NOT NULL,
    channel             text NOT NULL,
    subject             text,
    body                text NOT NULL,
    status              text NOT NULL,
    fingerprint         text,
    external_id         text,
    reply_to_id         uuid UNIQUE,
    provider_message_id text,
    config_version      integer,
    engine              text,
    faq_ids             text,
    confidence          double precision,
    fallback            boolean,
    attempts            integer NOT NULL DEFAULT 0,
    last_error          text,
    latency_ms          bigint,
    created_at          bigint NOT NULL,
    sent_at             bigint
);
CREATE INDEX messages_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_dedupe ON messages (tenant_id, lead_id, fingerprint, created_at);

CREATE TABLE inbound_events (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants(id),
    source          text NOT NULL,
    external_id     text NOT NULL,
    status          text NOT NULL,
    lead_id         uuid,
    conversation_id uuid,
    message_id      uuid,
    created_at      bigint NOT NULL,
    UNIQUE (tenant_id, source, external_id)
);

CREATE TABLE audit_events (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL,
    lead_id        uuid,
    kind           text NOT NULL,
    data           text NOT NULL,
    config_version integer,
    created_at     bigint NOT NULL
);
CREATE INDEX audit_events_lead ON audit_events (tenant_id, lead_id, created_at);

CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    tenant_id        uuid,
    payload          text NOT NULL,
    unique_key       text UNIQUE,
    status           text NOT NULL DEFAULT 'pending',
    run_at           bigint NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL,
    lease_owner      text,
    lease_expires_at bigint,
    last_error       text,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL
);
CREATE INDEX jobs_claim ON jobs (status, run_at);
