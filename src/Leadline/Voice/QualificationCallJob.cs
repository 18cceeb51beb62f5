using Dapper;
using Leadline.Compliance;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// The <c>qualification-call</c> job: dials one queued call through Twilio, after the same gate texts pass (no call
/// to a number that opted out) and only within the lead's calling hours, 8:00-21:00 local time. Unlike a text, a call
/// does not go out at night because the lead wrote recently: calling hours have no such exception (in the US,
/// 47 CFR 64.1200(c)(1)), and a ringing phone at 23:00 is no way to answer an inquiry.
/// </summary>
/// <remarks>
/// The job dials only a call still <c>queued</c> with no Twilio SID, and records the SID in the commit that finishes
/// it; its unique key gives each call one job. Twilio takes no idempotency key, so what is left is the attempt after
/// a timeout or a broken connection, where Twilio may have created the call without our hearing of it: that attempt
/// dials again unless Twilio's webhooks for the first call (which name our call id) arrived in the meantime.
/// </remarks>
public sealed partial class QualificationCallJob(
    Db db, TenantStore tenants, QualificationCallTwilio dialer, TwilioAccounts twilio, JobQueue jobs, Metrics metrics,
    VoiceOptions options, TimeProvider clock, ILogger<QualificationCallJob> logger) : IJobHandler<QualificationCallPayload>
{

    private sealed record CallRow(Guid Id, Guid TenantId, Guid LeadId, string ToNumber, string Status, string? ProviderCallSid);

    public async Task RunAsync(Job job, QualificationCallPayload payload, CancellationToken ct)
    {
        CallRow? call;
        bool optedOut;
        await using (var connection = await db.OpenAsync(ct))
        {
            call = await connection.QuerySingleOrDefaultAsync<CallRow>("""
                SELECT id, tenant_id AS TenantId, lead_id AS LeadId, to_number AS ToNumber, status, provider_call_sid AS ProviderCallSid
                FROM qualification_calls WHERE id = @CallId AND tenant_id = @TenantId
                """, new { payload.CallId, job.TenantId });
            if (call is null)
            {
                throw new PermanentJobFailure($"call {payload.CallId} does not exist");
            }
            optedOut = await OptOuts.IsOptedOutAsync(connection, call.TenantId, OptOuts.Contact(call.ToNumber));
        }
        if (call.Status != QualificationCalls.Queued || call.ProviderCallSid is not null)
        {
            // Dialed already (Twilio's webhooks may have arrived before this attempt's receipt), or over.
            return;
        }
        Tenant tenant = await tenants.FindCachedAsync(call.TenantId, ct) ?? throw new PermanentJobFailure("tenant no longer exists");

        if (optedOut)
        {
            await EndAsync(job, call, tenant, QualificationCalls.Canceled, "opted_out", "call.suppressed", attempted: false, ct);
            return;
        }
        await HoldForCallingHoursAsync(call, tenant, ct);

        TwilioAccount? account = twilio.For(tenant);
        if (account?.SmsFrom is not { } from || options.PublicBaseUrl is not { } site)
        {
            string reason = "calls are not configured: " + (account is null ? "no Twilio account (the tenant's own, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)"
                : account.SmsFrom is null ? "no number to call from (from_number, or TWILIO_FROM_NUMBER)" : "no PUBLIC_BASE_URL for Twilio to call back");
            await EndAsync(job: null, call, tenant, QualificationCalls.Failed, reason, "call.failed", attempted: false, ct);
            throw new PermanentJobFailure(reason);
        }

        QualificationCallTwilio.Placed placed;
        try
        {
            placed = await dialer.DialAsync(account, from, call.ToNumber, QualificationCalls.StartUrl(site, tenant.Slug, call.Id),
                QualificationCalls.StatusUrl(site, tenant.Slug, call.Id), ct);
        }
        catch (DeliveryException e)
        {
            bool final = e.Permanent || job.Attempts >= job.MaxAttempts;
            metrics.Increment("call_failure_total", ("tenant", tenant.Slug), ("kind", e.Permanent ? "permanent" : "transient"));
            LogDialFailed(call.Id, e.Permanent, Redact.Contacts(e.Message));
            if (final)
            {
                await EndAsync(job: null, call, tenant, QualificationCalls.Failed, e.Message, "call.failed", attempted: true, ct);
            }
            else
            {
                await RecordErrorAsync(call, tenant, e.Message, ct);
            }
            if (e.Permanent)
            {
                throw new PermanentJobFailure(e.Message, e);
            }
            if (e.RetryAfter is TimeSpan wait)
            {
                throw new RetryLaterException(e.Message, wait, e);
            }
            throw;
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            // A webhook that beat this receipt has moved the call on already; only the SID is news then.
            await tx.ExecuteAsync("""
                UPDATE qualification_calls
                SET provider_call_sid = COALESCE(provider_call_sid, @Sid),
                    status = CASE WHEN status = @Queued THEN @Dialing ELSE status END,
                    attempts = attempts + 1, last_error = NULL, updated_at = @now
                WHERE id = @Id AND tenant_id = @TenantId
                """, new { placed.Sid, Queued = QualificationCalls.Queued, Dialing = QualificationCalls.Dialing, now, call.Id, call.TenantId });
            await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "call.dialed", new
            {
                call_id = call.Id,
                provider_call_sid = placed.Sid,
                provider_status = placed.Status,
            }, now, tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
        }, ct);
        metrics.Increment("calls_dialed_total", ("tenant", tenant.Slug));
        LogDialed(call.Id, placed.Sid ?? "(none)");
    }

    /// <summary>Outside 8:00-21:00 in the lead's time zone the job waits for the next 8:00 without using up an attempt.</summary>
    private async Task HoldForCallingHoursAsync(CallRow call, Tenant tenant, CancellationToken ct)
    {
        DateTimeOffset now = clock.GetUtcNow();
        TimeZoneInfo zone = LeadHours.ZoneOf(call.ToNumber, tenant.Settings);
        if (LeadHours.NextWindow(now, zone, leadLastWrote: null) is not { } until)
        {
            return;
        }
        string reason = $"quiet_hours: the lead's local time ({zone.Id}) is outside 8:00-21:00; calling at {until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(
                "UPDATE qualification_calls SET last_error = @reason, updated_at = @now WHERE id = @Id AND tenant_id = @TenantId AND status = @Queued",
                new { reason, now = now.ToUnixTimeMilliseconds(), call.Id, call.TenantId, Queued = QualificationCalls.Queued });
            await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "call.deferred", new { call_id = call.Id, reason = "quiet_hours", until },
                now.ToUnixTimeMilliseconds(), tenant.ConfigVersion);
        }, ct);
        metrics.Increment("call_deferred_total", ("tenant", tenant.Slug), ("reason", "quiet_hours"));
        throw new DeferJobException(reason, until);
    }

    private async Task RecordErrorAsync(CallRow call, Tenant tenant, string error, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                UPDATE qualification_calls SET attempts = attempts + 1, last_error = @error, updated_at = @now
                WHERE id = @Id AND tenant_id = @TenantId AND status = @Queued
                """, new { error, now, call.Id, call.TenantId, Queued = QualificationCalls.Queued });
            await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "call.dial_failed", new { call_id = call.Id, error, permanent = false },
                now, tenant.ConfigVersion);
        }, ct);
    }

    /// <summary>
    /// Ends a call Twilio never took, with the reason; with a job, finishes it in the same commit (a failure instead
    /// leaves the job to the worker, which marks it dead with the same reason for the operator to see).
    /// </summary>
    private async Task EndAsync(Job? job, CallRow call, Tenant tenant, string status, string reason, string auditKind, bool attempted, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            int ended = await tx.ExecuteAsync("""
                UPDATE qualification_calls SET status = @status, last_error = @reason, ended_at = @now, updated_at = @now,
                                               attempts = attempts + @tried
                WHERE id = @Id AND tenant_id = @TenantId AND status = @Queued
                """, new { status, reason, now, tried = attempted ? 1 : 0, call.Id, call.TenantId, Queued = QualificationCalls.Queued });
            if (ended > 0)
            {
                await Audit.RecordAsync(tx, tenant.Id, call.LeadId, auditKind, new { call_id = call.Id, status, reason }, now, tenant.ConfigVersion);
            }
            if (job is not null)
            {
                await jobs.CompleteInAsync(tx, job);
            }
        }, ct);
        LogEnded(call.Id, status, Redact.Contacts(reason));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} placed with Twilio as {Sid}")]
    private partial void LogDialed(Guid callId, string sid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} could not be placed (permanent: {Permanent}): {Error}")]
    private partial void LogDialFailed(Guid callId, bool permanent, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended before dialing as {Status}: {Reason}")]
    private partial void LogEnded(Guid callId, string status, string reason);
}

/// <summary>The call to dial; one dial job per call (its id is the unique key).</summary>
public sealed record QualificationCallPayload(Guid CallId) : IJobPayload
{
    public static string Kind => "qualification-call";

    public static string KeyPrefix => "call:";
}
