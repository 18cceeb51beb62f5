using Dapper;
using Leadline.Compliance;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Delivery;

/// <summary>
/// The <c>deliver</c> job (ARCHITECTURE.md, the spine, step 4): sends one outbound message, records the
/// attempt, receipt and latency, and on a lead's first reply sets <c>speed_to_lead_ms</c>. Before sending it passes
/// the gates: opt-outs, the lead's quiet hours, and the tenant's hourly outbound cap (<see cref="OutboundCap"/>).
/// </summary>
public sealed partial class DeliverJob(
    Db db, TenantStore tenants, ChannelRouter router, JobQueue jobs, OutboundCap cap, Metrics metrics, DeliveryOptions options,
    TimeProvider clock, ILogger<DeliverJob> logger) : IJobHandler<DeliverJobPayload>
{

    private sealed record Outbound(
        Guid Id, Guid TenantId, Guid LeadId, string Author, string Channel, string? Subject, string Body, string Status,
        string? Email, string? Phone, string? FirstName, string? LastName, string? InReplyTo, long LeadCreatedAt, long? CapHour);

    private const string Load = """
        SELECT m.id, m.tenant_id AS TenantId, m.lead_id AS LeadId, m.author, m.channel, m.subject, m.body, m.status,
               l.email, l.phone, l.first_name AS FirstName, l.last_name AS LastName,
               (SELECT i.external_id FROM messages i WHERE i.id = m.reply_to_id AND i.tenant_id = m.tenant_id) AS InReplyTo,
               l.created_at AS LeadCreatedAt, m.cap_hour AS CapHour
        FROM messages m JOIN leads l ON l.id = m.lead_id AND l.tenant_id = m.tenant_id
        WHERE m.id = @MessageId AND m.tenant_id = @TenantId AND m.direction = 'out'
        """;

    public async Task RunAsync(Job job, DeliverJobPayload payload, CancellationToken ct)
    {
        Outbound? message;
        await using (var connection = await db.OpenAsync(ct))
        {
            message = await connection.QuerySingleOrDefaultAsync<Outbound>(Load, new { payload.MessageId, job.TenantId });
        }
        if (message is null)
        {
            throw new PermanentJobFailure($"outbound message {payload.MessageId} does not exist");
        }
        if (message.Status != "queued")
        {
            // Sent, failed, suppressed, or a draft a person has not approved (or rejected): nothing to send.
            return;
        }

        Tenant tenant = await tenants.FindCachedAsync(message.TenantId, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        var route = router.ForLead(tenant, message.Channel, message.Email, message.Phone);
        if (route is null)
        {
            await FailAsync(message, tenant, "none", "the lead has neither an e-mail address nor a phone number", permanent: true, ct);
            throw new PermanentJobFailure("no address to deliver to");
        }
        var (channel, to, twilio) = route.Value;

        // The compliance gate: nothing reaches a contact who opted out, however long ago the message was queued.
        // Only the confirmation of the opt-out itself goes through.
        if (message.Author != "compliance")
        {
            bool optedOut;
            await using (var connection = await db.OpenAsync(ct))
            {
                optedOut = await OptOuts.IsOptedOutAsync(connection, tenant.Id, OptOuts.Contact(to));
            }
            if (optedOut)
            {
                await SuppressAsync(job, message, tenant, channel.Name, "opted_out", ct);
                return;
            }
            if (message.Channel is "sms" or "whatsapp" or "voice" && !to.Contains('@', StringComparison.Ordinal))
            {
                await HoldForLeadHoursAsync(message, tenant, to, ct);
            }
            // Last, so a message held for another reason takes no slot; throws to wait for the next hour when full.
            await cap.CountAsync(tenant, message.Id, message.LeadId, message.CapHour, ct);
        }

        var outbound = new OutboundMessage
        {
            IdempotencyKey = message.Id.ToString("N"),
            To = to,
            ToName = string.Join(' ', new[] { message.FirstName, message.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } n ? n : null,
            From = tenant.Settings.ReplyFromEmail ?? options.EmailFrom,
            FromName = string.IsNullOrWhiteSpace(tenant.Settings.BusinessName) ? tenant.Name : tenant.Settings.BusinessName,
            Subject = message.Subject,
            Body = message.Body,
            InReplyTo = message.InReplyTo,
            Twilio = twilio,
        };

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            SendReceipt receipt = await channel.SendAsync(outbound, ct);
            long latency = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await RecordSentAsync(job, message, tenant, channel.Name, receipt, latency, ct);
        }
        catch (DeliveryException e)
        {
            bool lastAttempt = job.Attempts >= job.MaxAttempts;
            if (e.ProviderCode == TwilioOptedOut)
            {
                // The carrier says this number opted out (it texted STOP to our sender): remember it, so nothing else is tried.
                await db.InTransactionAsync(tx => OptOuts.SetAsync(tx, tenant.Id, message.LeadId, OptOuts.Contact(to), optedOut: true,
                    new ConsentEvidence("twilio-21610", "Twilio refused the message: the number has opted out of this sender"),
                    clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
            }
            await FailAsync(message, tenant, channel.Name, e.Message, e.Permanent || lastAttempt, ct);
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
    }

    private async Task RecordSentAsync(Job job, Outbound message, Tenant tenant, string channel, SendReceipt receipt, long latency, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool first = await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                UPDATE messages SET status = 'sent', provider_message_id = @ProviderMessageId, latency_ms = @latency,
                                    attempts = attempts + 1, last_error = NULL, sent_at = @now
                WHERE id = @Id AND tenant_id = @TenantId
                """, new { message.Id, message.TenantId, receipt.ProviderMessageId, latency, now });
            int firstReply = await tx.ExecuteAsync("""
                UPDATE leads SET first_reply_at = @now, speed_to_lead_ms = @now - created_at, updated_at = @now
                WHERE id = @LeadId AND tenant_id = @TenantId AND first_reply_at IS NULL
                """, new { message.LeadId, message.TenantId, now });
            await Audit.RecordAsync(tx, tenant.Id, message.LeadId, "send.succeeded", new
            {
                message_id = message.Id,
                channel,
                provider_message_id = receipt.ProviderMessageId,
                latency_ms = latency,
            }, now, tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
            return firstReply > 0;
        }, ct);

        metrics.Increment("send_success_total", ("tenant", tenant.Slug), ("channel", channel));
        if (first)
        {
            metrics.ObserveSpeedToLead(TimeSpan.FromMilliseconds(now - message.LeadCreatedAt), tenant.Slug, message.Channel);
        }
        LogSent(message.Id, channel, latency);
    }

    /// <summary>
    /// Texts reach a lead only 8:00-21:00 in the lead's local time unless the lead wrote in the last 24 hours; outside
    /// that, the job waits for the window (without using up an attempt) and the message stays queued with the reason.
    /// </summary>
    private async Task HoldForLeadHoursAsync(Outbound message, Tenant tenant, string to, CancellationToken ct)
    {
        DateTimeOffset now = clock.GetUtcNow();
        long? lastWrote;
        await using (var connection = await db.OpenAsync(ct))
        {
            lastWrote = await connection.ExecuteScalarAsync<long?>(
                "SELECT MAX(created_at) FROM messages WHERE tenant_id = @TenantId AND lead_id = @LeadId AND direction = 'in'",
                new { message.TenantId, message.LeadId });
        }
        TimeZoneInfo zone = LeadHours.ZoneOf(to, tenant.Settings);
        if (LeadHours.NextWindow(now, zone, lastWrote is long ms ? Times.From(ms) : null) is not { } until)
        {
            return;
        }
        string reason = $"quiet_hours: the lead's local time ({zone.Id}) is outside 8:00-21:00 and the lead has not written in 24 h; "
            + $"sending at {until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("UPDATE messages SET last_error = @reason WHERE id = @Id AND tenant_id = @TenantId AND status = 'queued'",
                new { message.Id, message.TenantId, reason });
            await Audit.RecordAsync(tx, tenant.Id, message.LeadId, "send.deferred", new { message_id = message.Id, reason = "quiet_hours", until },
                now.ToUnixTimeMilliseconds(), tenant.ConfigVersion);
        }, ct);
        metrics.Increment("send_deferred_total", ("tenant", tenant.Slug), ("reason", "quiet_hours"));
        throw new DeferJobException(reason, until);
    }

    /// <summary>Twilio's error for a message to a number that has opted out.</summary>
    private const string TwilioOptedOut = "21610";

    private async Task SuppressAsync(Job job, Outbound message, Tenant tenant, string channel, string reason, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(
                "UPDATE messages SET status = 'suppressed', last_error = @reason WHERE id = @Id AND tenant_id = @TenantId AND status = 'queued'",
                new { message.Id, message.TenantId, reason });
            await Audit.RecordAsync(tx, tenant.Id, message.LeadId, "send.suppressed", new { message_id = message.Id, channel, reason },
                now, tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
        }, ct);
        metrics.Increment("send_suppressed_total", ("tenant", tenant.Slug), ("reason", reason));
        LogSuppressed(message.Id, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} not sent: {Reason}")]
    private partial void LogSuppressed(Guid messageId, string reason);

    private async Task FailAsync(Outbound message, Tenant tenant, string channel, string error, bool permanent, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                UPDATE messages SET status = @Status, attempts = attempts + 1, last_error = @error WHERE id = @Id AND tenant_id = @TenantId
                """, new { message.Id, message.TenantId, Status = permanent ? "failed" : "queued", error });
            await Audit.RecordAsync(tx, tenant.Id, message.LeadId, "send.failed", new
            {
                message_id = message.Id,
                channel,
                error,
                permanent,
            }, now, tenant.ConfigVersion);
        }, ct);
        metrics.Increment("send_failure_total", ("tenant", tenant.Slug), ("channel", channel), ("kind", permanent ? "permanent" : "transient"));
        LogSendFailed(message.Id, channel, permanent, Redact.Contacts(error));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} sent via {Channel} in {LatencyMs} ms")]
    private partial void LogSent(Guid messageId, string channel, long latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed via {Channel} (permanent: {Permanent}): {Error}")]
    private partial void LogSendFailed(Guid messageId, string channel, bool permanent, string error);
}

/// <summary>The outbound message to send. One job per message: the unique key is the message id.</summary>
public sealed record DeliverJobPayload(Guid MessageId) : IJobPayload
{
    public static string Kind => "deliver";

    public static string KeyPrefix => "deliver:";
}
