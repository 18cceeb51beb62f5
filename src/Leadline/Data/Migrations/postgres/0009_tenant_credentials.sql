-- A tenant's own provider accounts (for now: 'twilio'), encrypted with ASP.NET Core Data Protection. The key ring
-- lives outside the database (DATA_PROTECTION_KEYS_DIR), so a copy of the database alone does not reveal them.
CREATE TABLE tenant_credentials (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    provider    text NOT NULL,
    ciphertext  text NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (tenant_id, provider)
);
