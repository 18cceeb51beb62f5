using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Alerts;

/// <summary>
/// The <c>owner-sms</c> job: texts the owner (owner_phone, else OWNER_ALERT_SMS_TO) that a lead turned HOT or needs a
/// person, through the tenant's Twilio account. The text says who, how to reach them, why, and where to look; never
/// the lead's message. During the owner's quiet hours (owner_quiet_hours in the tenant's time zone, else the
/// instance's QUIET_HOURS; <c>off</c> never waits) the job waits for the window's end without using an attempt; the
/// e-mail about the same lead (<see cref="OwnerAlertJob"/>) is never held. The owner's phone is not a lead's: lead
/// opt-outs and lead quiet hours do not apply to it.
/// </summary>
/// <remarks>
/// Twilio takes no idempotency key, so as for replies (<see cref="TwilioChannel"/>) a retry after an answer that
/// never arrived may text twice; the unique job key keeps everything else (a retried reply job, a restart, a lead
/// turning HOT twice) from queueing a second text.
/// </remarks>
public sealed partial class OwnerSmsJob(
    Db db, TenantStore tenants, TwilioAccounts twilio, IEnumerable<IOutboundChannel> channels, JobQueue jobs, Metrics metrics,
    AlertsOptions options, OwnerAlerts alerts, TimeProvider clock, ILogger<OwnerSmsJob> logger) : IJobHandler<OwnerSmsPayload>
{
    /// <summary>Names and business names are cut to this many characters, so the text stays within two SMS segments.</summary>
    private const int MaxNameChars = 40;

    private readonly IOutboundChannel _sms = channels.Single(c => c.Name == TwilioChannel.Sms);

    private sealed record LeadRow(Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, Guid? ConversationId);

    public async Task RunAsync(Job job, OwnerSmsPayload payload, CancellationToken ct)
    {
        Tenant tenant = await tenants.FindAsync(job.TenantId ?? Guid.Empty, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        string? to = alerts.Phone(tenant);
        if (to is null)
        {
            return;
        }
        DateTimeOffset now = clock.GetUtcNow();
        if (HeldUntil(tenant.Settings, options.QuietHours, now) is { } until)
        {
            await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, payload.LeadId, "alert.held",
                new { reason = payload.Reason, channel = "sms", until }, now.ToUnixTimeMilliseconds(), tenant.ConfigVersion), ct);
            LogHeld(payload.LeadId, payload.Reason, until);
            throw new DeferJobException($"owner_quiet_hours: the owner's text waits until {until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", until);
        }

        LeadRow? lead;
        await using (var connection = await db.OpenAsync(ct))
        {
            lead = await connection.QuerySingleOrDefaultAsync<LeadRow>("""
                SELECT l.id, l.email, l.phone, l.first_name AS FirstName, l.last_name AS LastName,
                       (SELECT c.id FROM conversations c WHERE c.tenant_id = l.tenant_id AND c.lead_id = l.id ORDER BY c.updated_at DESC LIMIT 1) AS ConversationId
                FROM leads l WHERE l.id = @LeadId AND l.tenant_id = @TenantId
                """, new { payload.LeadId, TenantId = tenant.Id });
        }
        if (lead is null)
        {
            return;
        }

        TwilioAccount? account = twilio.For(tenant);
        if (account?.SmsFrom is null)
        {
            string why = account is null
                ? "the tenant has no Twilio account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)"
                : "the tenant's Twilio account has no SMS number (TWILIO_FROM_NUMBER)";
            await db.InTransactionAsync(async tx =>
            {
                await Audit.RecordAsync(tx, tenant.Id, lead.Id, "alert.skipped", new { reason = payload.Reason, channel = "sms", why },
                    now.ToUnixTimeMilliseconds(), tenant.ConfigVersion);
                await jobs.CompleteInAsync(tx, job);
            }, ct);
            LogSkipped(lead.Id, payload.Reason, why);
            return;
        }

        var text = new OutboundMessage
        {
            IdempotencyKey = job.Id.ToString("N"),
            To = to,
            From = account.SmsFrom,
            Body = Compose(tenant, payload, lead.FirstName, lead.LastName, lead.Phone ?? lead.Email,
                alerts.Link(lead.ConversationId, lead.Id)),
            Twilio = account,
        };
        SendReceipt receipt = await AlertSend.SendAsync(_sms, text, metrics, tenant.Slug, ct);
        await db.InTransactionAsync(async tx =>
        {
            await Audit.RecordAsync(tx, tenant.Id, lead.Id, "alert.sent",
                new { reason = payload.Reason, channel = _sms.Name, provider_message_id = receipt.ProviderMessageId },
                clock.GetUtcNow().ToUnixTimeMilliseconds(), tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
        }, ct);
        metrics.Increment("owner_alert_total", ("tenant", tenant.Slug), ("channel", "sms"), ("reason", payload.Reason));
        LogSent(lead.Id, payload.Reason);
    }

    /// <summary>
    /// When the owner's quiet hours hold a text sent at <paramref name="now"/>: the end of the window in the tenant's
    /// time zone, or null to send now. The tenant's owner_quiet_hours wins; <c>off</c> never holds; without it the
    /// instance's QUIET_HOURS applies.
    /// </summary>
    public static DateTimeOffset? HeldUntil(TenantSettings settings, QuietHours? instance, DateTimeOffset now)
    {
        QuietHours? hours = settings.OwnerQuietHours switch
        {
            null => instance,
            "off" => null,
            string window => QuietHours.TryParse(window, out QuietHours? own) ? own : instance,
        };
        if (hours is null)
        {
            return null;
        }
        TimeZoneInfo zone = settings.Zone();
        DateTime local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        DateTime end = hours.EndAfter(local);
        if (end == local)
        {
            return null;
        }
        // An end inside a daylight-saving gap (02:30 on the night clocks skip to 03:00) is not a local time: the
        // window ends when the clocks have moved on.
        while (zone.IsInvalidTime(end))
        {
            end = end.AddMinutes(30);
        }
        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }

    /// <summary>
    /// "Acme Plumbing: HOT lead Jordan Lee, +15551234567. Reach out now: https://.../v1/conversations/..." or, for a
    /// hand-off, "Acme Plumbing: Jordan Lee, +15551234567, asked for a person; the bot has paused. https://...".
    /// </summary>
    internal static string Compose(Tenant tenant, OwnerSmsPayload alert, string? firstName, string? lastName, string? contact, string link)
    {
        string business = Cut(string.IsNullOrWhiteSpace(tenant.Settings.BusinessName) ? tenant.Name : tenant.Settings.BusinessName.Trim());
        string name = Cut(string.Join(' ', new[] { firstName, lastName }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim())));
        string who = (name.Length > 0, contact) switch
        {
            (true, { } c) => $"{name}, {c}",
            (true, null) => name,
            (false, { } c) => c,
            (false, null) => "a lead",
        };
        return alert.Reason == OwnerAlerts.Escalation
            ? $"{business}: {who}, {OwnerAlerts.Cause(alert.Cause)}; the bot has paused. {link}"
            : $"{business}: HOT lead {who}. Reach out now: {link}";
    }

    private static string Cut(string text) => text.Length > MaxNameChars ? text[..(MaxNameChars - 3)] + "..." : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner text about lead {LeadId} sent ({Reason})")]
    private partial void LogSent(Guid leadId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner text about lead {LeadId} ({Reason}) held for quiet hours until {Until}")]
    private partial void LogHeld(Guid leadId, string reason, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Owner text about lead {LeadId} ({Reason}) not sent: {Why}")]
    private partial void LogSkipped(Guid leadId, string reason, string why);
}

/// <summary>The text's lead and reason, as <see cref="OwnerAlertPayload"/> has them for the e-mail about the same lead.</summary>
public sealed record OwnerSmsPayload(Guid LeadId, string Reason) : IJobPayload
{
    public static string Kind => "owner-sms";

    public static string KeyPrefix => "alert-sms:";

    public string? Cause { get; init; }
}
