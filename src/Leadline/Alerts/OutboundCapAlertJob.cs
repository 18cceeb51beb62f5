using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Alerts;

/// <summary>
/// The <c>outbound-cap-alert</c> job: tells the operator (OPERATOR_ALERT_EMAIL, else OWNER_ALERT_EMAIL) that a tenant
/// reached its hourly outbound cap and its sending is paused (<see cref="OutboundCap"/>). Queued once per tenant and
/// hour; always audited, e-mailed when there is a recipient. The tenant's owner is not told: the cap guards the
/// operator's bill, and raising it or resuming is the operator's call.
/// </summary>
public sealed partial class OutboundCapAlertJob(
    Db db, TenantStore tenants, ChannelRouter router, Metrics metrics, AlertsOptions options, TimeProvider clock,
    ILogger<OutboundCapAlertJob> logger) : IJobHandler<OutboundCapAlertPayload>
{

    public static string? Recipient(AlertsOptions options) => options.OperatorAlertEmail ?? options.OwnerAlertEmail;

    public async Task RunAsync(Job job, OutboundCapAlertPayload payload, CancellationToken ct)
    {
        Tenant tenant = await tenants.FindAsync(job.TenantId ?? Guid.Empty, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        TimeZoneInfo zone = tenant.Settings.Zone();
        DateTimeOffset hour = Times.From(payload.HourStart);
        DateTimeOffset next = hour.AddHours(1);
        string local = $"{TimeZoneInfo.ConvertTime(hour, zone):yyyy-MM-dd HH:mm}-{TimeZoneInfo.ConvertTime(next, zone):HH:mm} ({zone.Id})";
        string subject = $"{tenant.Name}: sending paused, {payload.Cap} messages this hour";
        string text =
            $"Tenant '{tenant.Slug}' ({tenant.Name}) has sent {payload.Cap} messages to leads in the hour {local}, its hourly_outbound_cap.\n" +
            "Further replies stay queued; nothing is lost. Sending resumes by itself at " +
            $"{next:yyyy-MM-dd HH:mm} UTC.\n\n" +
            "If the volume is expected:\n" +
            $"- send the held messages now, for the rest of this hour: POST /v1/tenants/{tenant.Id}/resume-sending\n" +
            $"- or raise the cap: PUT /v1/admin/settings {{\"hourly_outbound_cap\": n}} with the header X-Tenant: {tenant.Slug}\n" +
            $"If it is not (a loop, a flood of fake leads), look at the tenant's recent leads before resuming: GET /v1/tenants/{tenant.Id}/usage.\n";

        string? to = Recipient(options);
        string? providerId = null;
        if (to is not null)
        {
            SendReceipt receipt = await AlertSend.SendAsync(router.Email, new OutboundMessage
            {
                IdempotencyKey = job.Id.ToString("N"),
                To = to,
                From = options.EmailFrom,
                FromName = "Leadline",
                Subject = subject,
                Body = text,
            }, metrics, tenant.Slug, ct);
            providerId = receipt.ProviderMessageId;
        }
        else
        {
            LogNoRecipient(tenant.Slug);
        }
        await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, null, "operator.alerted", new
        {
            reason = OutboundCap.Reason,
            hour_started_at = hour,
            cap = payload.Cap,
            sent_to = to is null ? null : "operator",
            provider_message_id = providerId,
        }, clock.GetUtcNow().ToUnixTimeMilliseconds(), tenant.ConfigVersion), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tenant {Tenant} reached its hourly outbound cap, and no operator was e-mailed: set OPERATOR_ALERT_EMAIL (or OWNER_ALERT_EMAIL)")]
    private partial void LogNoRecipient(string tenant);
}

/// <summary>The hour (its start, Unix milliseconds) in which the tenant reached its cap, and the cap then.</summary>
public sealed record OutboundCapAlertPayload(long HourStart, int Cap) : IJobPayload
{
    public static string Kind => "outbound-cap-alert";

    public static string KeyPrefix => "outbound-cap:";
}
