-- Each mailbox the poller reads (one per tenant: its own, or the instance's IMAP_* for the default tenant): where the
-- reading stands, for the status view and for servers that cannot keep the $LeadlineProcessed keyword. identity is
-- host:port/user/folder; when it changes, the UIDs remembered here belong to another mailbox and are reset.
CREATE TABLE mailbox_status (
    tenant_id          TEXT NOT NULL PRIMARY KEY REFERENCES tenants(id),
    identity           TEXT NOT NULL,
    state              TEXT NOT NULL,
    uid_validity       INTEGER,
    start_uid          INTEGER,
    last_uid           INTEGER,
    last_connected_at  INTEGER,
    last_error         TEXT,
    last_error_at      INTEGER,
    last_processed_at  INTEGER,
    processed_total    INTEGER NOT NULL DEFAULT 0,
    updated_at         INTEGER NOT NULL
);

-- The secret in a tenant's SendGrid Inbound Parse URL: found by its SHA-256, shown (decrypted) by GET /v1/admin/mailbox.
CREATE TABLE inbound_email_secrets (
    tenant_id    TEXT NOT NULL PRIMARY KEY REFERENCES tenants(id),
    secret_hash  TEXT NOT NULL UNIQUE,
    ciphertext   TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
