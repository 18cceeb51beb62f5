using Leadline.Data;
using Leadline.Jobs;
using Leadline.Tenants;

namespace Leadline.Alerts;

/// <summary>
/// Queues the owner's alerts about a lead that needs them now (PRODUCT.md 2.5): an e-mail (owner_email, else
/// OWNER_ALERT_EMAIL) and a text (owner_phone, else OWNER_ALERT_SMS_TO). Both are jobs enqueued in the transaction
/// that made the decision, each with a unique key, so the decision and its alerts commit together, and a retried
/// job, a restart or a repeated decision cannot alert twice.
/// </summary>
public sealed class OwnerAlerts(JobQueue jobs, AlertsOptions options)
{
    public const string NewLead = "new_lead";
    public const string HotLead = "hot_lead";
    public const string Escalation = "escalation";

    /// <summary>Where owner texts go: the tenant's owner_phone, else the instance's OWNER_ALERT_SMS_TO.</summary>
    public string? Phone(Tenant tenant) => tenant.Settings.OwnerPhone ?? options.OwnerAlertSmsTo;

    /// <summary>Where owner e-mails go: the tenant's owner_email, else the instance's OWNER_ALERT_EMAIL.</summary>
    public string? Email(Tenant tenant) => tenant.Settings.OwnerEmail ?? options.OwnerAlertEmail;

    /// <summary>A lead turned HOT: alerted once per lead, however often it turns HOT again.</summary>
    public Task HotLeadAsync(Tx tx, Tenant tenant, Guid leadId) =>
        EnqueueAsync(tx, tenant, leadId, HotLead, null, $"{HotLead}:{leadId}");

    /// <summary>
    /// A conversation went to a person: alerted once per hand-off. A conversation a person gave back to the bot and
    /// that is handed off again later is a new hand-off, and someone has to pick it up again.
    /// </summary>
    public Task EscalationAsync(Tx tx, Tenant tenant, Guid leadId, Guid conversationId, string cause, long escalatedAt) =>
        EnqueueAsync(tx, tenant, leadId, Escalation, cause, $"{Escalation}:{conversationId}:{escalatedAt}");

    /// <summary>
    /// A lead that came in for the first time is e-mailed to the owner (never texted: a new lead is no emergency),
    /// once per lead, in the intake transaction that created it.
    /// </summary>
    public async Task NewLeadAsync(Tx tx, Tenant tenant, Guid leadId)
    {
        if (Email(tenant) is not null)
        {
            await jobs.EnqueueAsync(tx, tenant.Id, new OwnerAlertPayload(leadId, NewLead), $"{NewLead}:{leadId}");
        }
    }

    /// <summary>Where to look: the conversation (else the lead) in the API, absolute when PUBLIC_BASE_URL is set.</summary>
    public string Link(Guid? conversationId, Guid leadId)
    {
        string link = conversationId is Guid id ? $"/v1/conversations/{id}" : $"/v1/leads/{leadId}";
        return options.PublicBaseUrl is { } baseUrl ? new Uri(baseUrl, link).ToString() : link;
    }

    /// <summary>Why a conversation went to a person, as the end of "the lead, who ...".</summary>
    public static string Cause(string? cause) => cause switch
    {
        "person_requested" => "asked for a person",
        "complaint" => "has a complaint",
        "high_value" => "stated a budget above your high-value threshold",
        "long_conversation" => "has written more than 20 messages",
        "low_confidence" => "asked something the bot could not answer with confidence",
        "model_escalation" => "needs a person, the model judged",
        _ => "was handed to a person",
    };

    private async Task EnqueueAsync(Tx tx, Tenant tenant, Guid leadId, string reason, string? cause, string key)
    {
        if (Email(tenant) is not null)
        {
            await jobs.EnqueueAsync(tx, tenant.Id, new OwnerAlertPayload(leadId, reason) { Cause = cause }, key);
        }
        if (Phone(tenant) is not null)
        {
            await jobs.EnqueueAsync(tx, tenant.Id, new OwnerSmsPayload(leadId, reason) { Cause = cause }, key);
        }
    }
}
