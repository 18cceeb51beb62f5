-- Model tokens each tenant spent per calendar month (in the tenant's time zone), for its monthly budget.
CREATE TABLE token_usage (
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    month         text NOT NULL,
    input_tokens  bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0,
    model_calls   bigint NOT NULL DEFAULT 0,
    updated_at    bigint NOT NULL,
    PRIMARY KEY (tenant_id, month)
);
