-- Messages to leads each tenant sent per clock hour of its time zone (hour_start: the hour's first instant, UTC
-- epoch ms), for the hourly outbound cap; lifted when an operator resumed sending for the rest of that hour.
CREATE TABLE outbound_hours (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    hour_start INTEGER NOT NULL,
    sent       INTEGER NOT NULL DEFAULT 0,
    lifted     INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, hour_start)
);

-- The hour an outbound message was counted in, so a retry within that hour is not counted again.
ALTER TABLE messages ADD COLUMN cap_hour INTEGER;
