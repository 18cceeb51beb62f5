-- A tenant's own provider accounts (for now: 'twilio'), encrypted with ASP.NET Core Data Protection. The key ring
-- lives outside the database (DATA_PROTECTION_KEYS_DIR), so a copy of the database alone does not reveal them.
CREATE TABLE tenant_credentials (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    provider    TEXT NOT NULL,
    ciphertext  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, provider)
);
