-- Each mailbox the poller reads (one per tenant: its own, or the instance's IMAP_* for the default tenant): where the
-- reading stands, for the status view and for servers that cannot keep the $LeadlineProcessed keyword. identity is
-- host:port/user/folder; when it changes, the UIDs remembered here belong to another mailbox and are reset.
CREATE TABLE mailbox_status (
    tenant_id          uuid NOT NULL PRIMARY KEY REFERENCES tenants(id),
    identity           text NOT NULL,
    state              text NOT NULL,
    uid_validity       bigint,
    start_uid          bigint,
    last_uid           bigint,
    last_connected_at  bigint,
    last_error         text,
    last_error_at      bigint,
    last_processed_at  bigint,
    processed_total    bigint NOT NULL DEFAULT 0,
    updated_at         bigint NOT NULL
);

-- The secret in a tenant's SendGrid Inbound Parse URL: found by its SHA-256, shown (decrypted) by GET /v1/admin/mailbox.
CREATE TABLE inbound_email_secrets (
    tenant_id    uuid NOT NULL PRIMARY KEY REFERENCES tenants(id),
    secret_hash  text NOT NULL UNIQUE,
    ciphertext   text NOT NULL,
    created_at   bigint NOT NULL
);
