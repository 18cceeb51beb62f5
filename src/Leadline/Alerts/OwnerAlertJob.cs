using System.Text;
using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Alerts;

/// <summary>
/// The <c>owner-alert</c> job: tells the business owner by e-mail (the tenant's owner_email, else OWNER_ALERT_EMAIL)
/// about a new lead, a lead that turned HOT, or a conversation handed to a person. E-mail is never held for quiet
/// hours; the text about the same lead is <see cref="OwnerSmsJob"/>. Its unique key is per lead and reason (per
/// hand-off for escalations, see <see cref="OwnerAlerts"/>), so an owner hears about a lead once.
/// </summary>
public sealed partial class OwnerAlertJob(
    Db db, TenantStore tenants, ChannelRouter router, Metrics metrics, AlertsOptions options, OwnerAlerts alerts, TimeProvider clock,
    ILogger<OwnerAlertJob> logger) : IJobHandler<OwnerAlertPayload>
{
    private sealed record LeadRow(
        Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string Channel, string Score, string Qualification,
        Guid? ConversationId, string? Body);

    public async Task RunAsync(Job job, OwnerAlertPayload payload, CancellationToken ct)
    {
        Tenant tenant = await tenants.FindAsync(job.TenantId ?? Guid.Empty, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        string? to = alerts.Email(tenant);
        if (to is null)
        {
            return;
        }

        LeadRow? lead;
        await using (var connection = await db.OpenAsync(ct))
        {
            lead = await connection.QuerySingleOrDefaultAsync<LeadRow>("""
                SELECT l.id, l.email, l.phone, l.first_name AS FirstName, l.last_name AS LastName, l.channel, l.score, l.qualification,
                       (SELECT c.id FROM conversations c WHERE c.tenant_id = l.tenant_id AND c.lead_id = l.id ORDER BY c.updated_at DESC LIMIT 1) AS ConversationId,
                       (SELECT m.body FROM messages m WHERE m.tenant_id = l.tenant_id AND m.lead_id = l.id AND m.direction = 'in' ORDER BY m.created_at DESC LIMIT 1) AS Body
                FROM leads l WHERE l.id = @LeadId AND l.tenant_id = @TenantId
                """, new { payload.LeadId, TenantId = tenant.Id });
        }
        if (lead is null)
        {
            return;
        }

        string name = string.Join(' ', new[] { lead.FirstName, lead.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string who = name.Length > 0 ? name : lead.Email ?? lead.Phone ?? "a lead";
        var q = Leads.QualificationView.From(lead.Qualification);
        string link = alerts.Link(lead.ConversationId, lead.Id);
        (string subject, string opening) = payload.Reason switch
        {
            "hot_lead" => ($"HOT lead: {who}", $"A lead for {tenant.Name} is HOT (urgency {q.Urgency}). Reach out now."),
            "escalation" => ($"A lead needs a person: {who}",
                $"The bot stopped replying to this {tenant.Name} lead, who {OwnerAlerts.Cause(payload.Cause)}, and is waiting for a person."),
            _ => ($"New lead: {who}", $"New lead for {tenant.Name} via {lead.Channel}."),
        };
        var body = new StringBuilder()
            .AppendLine(opening)
            .AppendLine()
            .AppendLine($"Name:     {(name.Length > 0 ? name : "(not given)")}")
            .AppendLine($"Email:    {lead.Email ?? "-"}")
            .AppendLine($"Phone:    {lead.Phone ?? "-"}")
            .AppendLine($"Wants:    {q.Service ?? "(not stated)"}")
            .AppendLine($"Urgency:  {q.Urgency}, timeline {q.Timeline.Replace('_', ' ')}, score {lead.Score}")
            .AppendLine(q.Budget is { } b ? $"Budget:   {b.Min?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} - {b.Max?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {b.Currency}" : "Budget:   (not stated)")
            .AppendLine()
            .AppendLine("Latest message:")
            .AppendLine(lead.Body ?? "")
            .AppendLine()
            .AppendLine($"Conversation: {link}");

        var alert = new OutboundMessage
        {
            IdempotencyKey = job.Id.ToString("N"),
            To = to,
            From = options.EmailFrom,
            FromName = "Leadline",
            Subject = subject,
            Body = body.ToString(),
        };

        SendReceipt receipt = await AlertSend.SendAsync(router.Email, alert, metrics, tenant.Slug, ct);
        await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, lead.Id, "alert.sent",
            new { reason = payload.Reason, channel = router.Email.Name, provider_message_id = receipt.ProviderMessageId },
            clock.GetUtcNow().ToUnixTimeMilliseconds(), tenant.ConfigVersion), ct);
        metrics.Increment("owner_alert_total", ("tenant", tenant.Slug), ("channel", "email"), ("reason", payload.Reason));
        LogAlertSent(lead.Id, payload.Reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner alert for lead {LeadId} sent ({Reason})")]
    private partial void LogAlertSent(Guid leadId, string reason);
}

/// <summary>Which lead and why: new_lead, hot_lead or escalation (with the hand-off's cause, such as complaint).</summary>
public sealed record OwnerAlertPayload(Guid LeadId, string Reason) : IJobPayload
{
    public static string Kind => "owner-alert";

    public static string KeyPrefix => "alert:";

    public string? Cause { get; init; }
}
