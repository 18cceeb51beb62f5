-- Model tokens each tenant spent per calendar month (in the tenant's time zone), for its monthly budget.
CREATE TABLE token_usage (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    month         TEXT NOT NULL,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    model_calls   INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, month)
);
