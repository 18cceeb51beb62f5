using System.Data.Common;
using Dapper;
using Leadline.Alerts;
using Leadline.Data;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Delivery;

/// <summary>
/// The hourly outbound cap (PRODUCT.md 2.6, seed 004's guard against billing runaway): a tenant sends at most its
/// <c>hourly_outbound_cap</c> messages to leads (default 300, 0 is no cap) per clock hour of its own time zone. When
/// the hour's cap is reached, sending pauses: each further message stays queued with the reason in
/// <c>last_error</c> and its delivery waits for the next hour without using an attempt, and the operator is alerted
/// once for that tenant and hour. Sending resumes at the next hour, or at once when the operator calls
/// <c>POST /v1/tenants/{id}/resume-sending</c>, which lifts the cap for the rest of that hour.
/// </summary>
/// <remarks>
/// The count is a row per tenant and hour (<c>outbound_hours</c>). A delivery takes its slot before it calls the
/// provider, in one short transaction: an upsert that adds one only while the count is under the cap (or the cap was
/// lifted), and a stamp on the message saying which hour counted it. PostgreSQL runs the upsert under the row's lock
/// and checks the condition against the latest committed count; SQLite has one writer. However many workers and
/// instances send at once, no more than the cap get a slot: the overshoot is 0. A retry in the same hour (a 5xx, a
/// worker that died) finds its stamp and is not counted again; a retry in a later hour counts there. A slot whose
/// attempt then failed stays used: the cap bounds what is handed to providers, so it never lets more through.
/// Opt-out and HELP confirmations (author <c>compliance</c>) are neither held nor counted: the law wants them sent.
/// Hours are the tenant's (as its month is for the token budget), kept as the UTC instant they start; for most
/// zones that is the UTC hour, for half-hour zones such as Asia/Kolkata it is not.
/// </remarks>
public sealed partial class OutboundCap(Db db, JobQueue jobs, JobSignal signal, Metrics metrics, TimeProvider clock, ILogger<OutboundCap> logger)
{
    /// <summary>How a held message's <c>last_error</c> and its job's begin: the resume finds the jobs by it.</summary>
    public const string Reason = "hourly_outbound_cap";

    private const string Take = """
        INSERT INTO outbound_hours (tenant_id, hour_start, sent, lifted, updated_at)
        VALUES (@TenantId, @Hour, 1, @no, @Now)
        ON CONFLICT (tenant_id, hour_start) DO UPDATE SET sent = outbound_hours.sent + 1, updated_at = @Now
        WHERE outbound_hours.sent < @Cap OR outbound_hours.lifted = @yes
        RETURNING sent
        """;

    private const string Lift = """
        INSERT INTO outbound_hours (tenant_id, hour_start, sent, lifted, updated_at)
        VALUES (@TenantId, @Hour, 0, @yes, @Now)
        ON CONFLICT (tenant_id, hour_start) DO UPDATE SET lifted = @yes, updated_at = @Now
        """;

    // Held deliveries wait for the next hour; these are due now instead. Any other gate (a lead's quiet hours, an
    // opt-out) is checked again when they run, so releasing one too many does no harm.
    private const string Release = """
        UPDATE jobs SET run_at = @Now, updated_at = @Now
        WHERE tenant_id = @TenantId AND kind = @Kind AND status = 'pending' AND run_at > @Now
          AND last_error LIKE 'hourly_outbound_cap:%'
        """;

    /// <summary>The start of the tenant's clock hour that contains <paramref name="now"/>.</summary>
    public static DateTimeOffset HourStart(TimeZoneInfo zone, DateTimeOffset now)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset).ToUniversalTime();
    }

    /// <summary>
    /// Counts the message in this hour, or, with the hour's cap reached, records why it waits, alerts the operator
    /// (once per tenant and hour) and throws <see cref="DeferJobException"/> until the next hour.
    /// </summary>
    /// <param name="countedHour">The hour the message was already counted in (<c>messages.cap_hour</c>), if any.</param>
    public async Task CountAsync(Tenant tenant, Guid messageId, Guid leadId, long? countedHour, CancellationToken ct)
    {
        int cap = tenant.Settings.HourlyOutboundCap;
        if (cap <= 0)
        {
            return;
        }
        DateTimeOffset now = clock.GetUtcNow();
        DateTimeOffset hour = HourStart(tenant.Settings.Zone(), now);
        long hourMs = hour.ToUnixTimeMilliseconds();
        if (countedHour == hourMs)
        {
            return;
        }
        bool counted = await db.InTransactionAsync(async tx =>
        {
            long? sent = await tx.QuerySingleOrDefaultAsync<long?>(Take,
                new { TenantId = tenant.Id, Hour = hourMs, Cap = cap, Now = now.ToUnixTimeMilliseconds(), yes = true, no = false });
            if (sent is null)
            {
                return false;
            }
            await tx.ExecuteAsync("UPDATE messages SET cap_hour = @hourMs WHERE id = @messageId AND tenant_id = @TenantId",
                new { hourMs, messageId, TenantId = tenant.Id });
            return true;
        }, ct);
        if (!counted)
        {
            await HoldAsync(tenant, messageId, leadId, cap, hour, now, ct);
        }
    }

    private async Task HoldAsync(Tenant tenant, Guid messageId, Guid leadId, int cap, DateTimeOffset hour, DateTimeOffset now, CancellationToken ct)
    {
        DateTimeOffset next = hour.AddHours(1);
        TimeZoneInfo zone = tenant.Settings.Zone();
        string reason = $"{Reason}: {cap} messages were sent in the hour from {TimeZoneInfo.ConvertTime(hour, zone):HH:mm} ({zone.Id}), "
            + $"the tenant's hourly_outbound_cap; sending at {next:yyyy-MM-dd HH:mm} UTC, or at once after POST /v1/tenants/{tenant.Id}/resume-sending";
        long nowMs = now.ToUnixTimeMilliseconds();
        bool first = await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("UPDATE messages SET last_error = @reason WHERE id = @messageId AND tenant_id = @TenantId AND status = 'queued'",
                new { messageId, TenantId = tenant.Id, reason });
            await Audit.RecordAsync(tx, tenant.Id, leadId, "send.deferred", new { message_id = messageId, reason = Reason, until = next },
                nowMs, tenant.ConfigVersion);
            bool alert = await jobs.EnqueueAsync(tx, tenant.Id,
                new OutboundCapAlertPayload(hour.ToUnixTimeMilliseconds(), cap), $"{tenant.Id}:{hour.ToUnixTimeMilliseconds()}");
            if (alert)
            {
                await Audit.RecordAsync(tx, tenant.Id, null, "sending.paused",
                    new { hour_started_at = hour, cap, resumes_at = next }, nowMs, tenant.ConfigVersion);
            }
            return alert;
        }, ct);
        metrics.Increment("send_deferred_total", ("tenant", tenant.Slug), ("reason", Reason));
        if (first)
        {
            metrics.Increment("outbound_cap_reached_total", ("tenant", tenant.Slug));
            LogCapReached(tenant.Slug, cap, next);
        }
        throw new DeferJobException(reason, next);
    }

    /// <summary>Lifts the cap for the rest of the tenant's current hour and sends what it held, now.</summary>
    public async Task<SendingState> ResumeAsync(Tenant tenant, CancellationToken ct)
    {
        DateTimeOffset now = clock.GetUtcNow();
        DateTimeOffset hour = HourStart(tenant.Settings.Zone(), now);
        long nowMs = now.ToUnixTimeMilliseconds();
        int released = await db.InTransactionAsync(async tx =>
        {
            var args = new { TenantId = tenant.Id, Hour = hour.ToUnixTimeMilliseconds(), Now = nowMs, yes = true };
            await tx.ExecuteAsync(Lift, args);
            int count = await tx.ExecuteAsync(Release, new { args.TenantId, args.Now, DeliverJobPayload.Kind });
            await Audit.RecordAsync(tx, tenant.Id, null, "sending.resumed",
                new { hour_started_at = hour, released = count, actor = "operator" }, nowMs, tenant.ConfigVersion);
            if (count > 0 && tx.Dialect == Dialect.Postgres)
            {
                // Wakes the workers of every instance, as an enqueue does.
                await tx.ExecuteAsync("SELECT pg_notify('leadline_jobs', '')");
            }
            tx.OnCommitted(signal.Pulse);
            return count;
        }, ct);
        LogResumed(tenant.Slug, released);
        await using DbConnection connection = await db.OpenAsync(ct);
        return await ReadAsync(connection, tenant, now);
    }

    private sealed record HourRow(long Sent, bool Lifted);

    /// <summary>This hour's sending against the cap, for the usage views.</summary>
    public static async Task<SendingState> ReadAsync(DbConnection connection, Tenant tenant, DateTimeOffset now)
    {
        DateTimeOffset hour = HourStart(tenant.Settings.Zone(), now);
        HourRow? row = await connection.QuerySingleOrDefaultAsync<HourRow>(
            "SELECT sent, lifted FROM outbound_hours WHERE tenant_id = @TenantId AND hour_start = @Hour",
            new { TenantId = tenant.Id, Hour = hour.ToUnixTimeMilliseconds() });
        long held = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM messages
            WHERE tenant_id = @TenantId AND direction = 'out' AND status = 'queued' AND last_error LIKE 'hourly_outbound_cap:%'
            """, new { TenantId = tenant.Id });
        int cap = tenant.Settings.HourlyOutboundCap;
        long sent = row?.Sent ?? 0;
        bool lifted = row?.Lifted ?? false;
        return new SendingState(hour, hour.AddHours(1), sent, cap, Paused: cap > 0 && !lifted && sent >= cap, CapLifted: lifted, held);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant} reached its hourly outbound cap of {Cap}; sending is paused until {Until}")]
    private partial void LogCapReached(string tenant, int cap, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending resumed by hand for tenant {Tenant}; {Released} held message(s) released")]
    private partial void LogResumed(string tenant, int released);
}

/// <summary>
/// A tenant's sending in its current clock hour: messages counted against <c>hourly_outbound_cap</c> (0 is no cap),
/// whether sending is paused (the cap reached and not lifted), whether an operator lifted the cap for this hour, and
/// how many messages wait for the cap.
/// </summary>
public sealed record SendingState(
    DateTimeOffset HourStartedAt, DateTimeOffset NextHourAt, long SentThisHour, int HourlyOutboundCap, bool Paused, bool CapLifted, long Held);
