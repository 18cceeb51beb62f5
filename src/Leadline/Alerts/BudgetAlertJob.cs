using System.Globalization;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Alerts;

/// <summary>
/// The <c>budget-alert</c> job: tells the owner (owner_email, else OWNER_ALERT_EMAIL) that the tenant has spent 80%
/// of its monthly model-token budget, or all of it and replies now come from the offline engine. Queued once per
/// month, level and budget by <see cref="TokenBudget"/>; always audited, e-mailed when there is a recipient.
/// </summary>
public sealed partial class BudgetAlertJob(
    Db db, TenantStore tenants, ChannelRouter router, Metrics metrics, AlertsOptions options, OwnerAlerts alerts, TimeProvider clock,
    ILogger<BudgetAlertJob> logger) : IJobHandler<BudgetAlertPayload>
{

    public async Task RunAsync(Job job, BudgetAlertPayload payload, CancellationToken ct)
    {
        Tenant tenant = await tenants.FindAsync(job.TenantId ?? Guid.Empty, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        BudgetState state;
        await using (var connection = await db.OpenAsync(ct))
        {
            state = await TokenBudget.ReadAsync(connection, tenant, clock.GetUtcNow());
        }
        long used = state.Month == payload.Month ? state.UsedTokens : 0;
        string budget = payload.Budget.ToString("N0", CultureInfo.InvariantCulture);
        (string subject, string text) = payload.Level >= 100
            ? ($"{tenant.Name}: monthly model budget used up",
               $"{tenant.Name} has used its model-token budget for {payload.Month} ({used.ToString("N0", CultureInfo.InvariantCulture)} of {budget} tokens).\n" +
               "Leads are still answered at once, by the offline engine from your FAQs, until the month ends or the budget is raised " +
               "(PUT /v1/admin/settings {\"monthly_token_budget\": ...}).")
            : ($"{tenant.Name}: 80% of the monthly model budget used",
               $"{tenant.Name} has used {used.ToString("N0", CultureInfo.InvariantCulture)} of its {budget} model tokens for {payload.Month}.\n" +
               "At 100% replies switch to the offline engine until the month ends or the budget is raised.");

        string? to = alerts.Email(tenant);
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
                Body = text + "\n",
            }, metrics, tenant.Slug, ct);
            providerId = receipt.ProviderMessageId;
        }
        await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, null, "budget.alert", new
        {
            month = payload.Month,
            level = payload.Level,
            budget = payload.Budget,
            used_tokens = used,
            sent_to = to is null ? null : "owner",
            provider_message_id = providerId,
        }, clock.GetUtcNow().ToUnixTimeMilliseconds(), tenant.ConfigVersion), ct);
        metrics.Increment("budget_alert_total", ("tenant", tenant.Slug), ("level", payload.Level.ToString(CultureInfo.InvariantCulture)));
        LogBudgetAlert(tenant.Slug, payload.Level, payload.Month);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant} is at {Level}% of its model-token budget for {Month}")]
    private partial void LogBudgetAlert(string tenant, int level, string month);
}

/// <summary>The month, the threshold it passed (80 or 100 per cent) and the budget then.</summary>
public sealed record BudgetAlertPayload(string Month, int Level, long Budget) : IJobPayload
{
    public static string Kind => "budget-alert";

    public static string KeyPrefix => "budget:";
}
