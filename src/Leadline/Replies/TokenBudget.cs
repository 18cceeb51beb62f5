using System.Data.Common;
using System.Globalization;
using Dapper;
using Leadline.Alerts;
using Leadline.Data;
using Leadline.Jobs;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// A tenant's model tokens this calendar month (in its time zone) against its <c>monthly_token_budget</c>.
/// </summary>
public sealed record BudgetState(string Month, long InputTokens, long OutputTokens, long ModelCalls, long? Budget)
{
    public const double WarningRatio = 0.8;

    public long UsedTokens => InputTokens + OutputTokens;

    /// <summary>Share of the budget spent (may pass 1: the call that crosses it is not cut short); null without a budget.</summary>
    public double? Ratio => Budget is > 0 ? Math.Round((double)UsedTokens / Budget.Value, 4) : null;

    /// <summary><c>unlimited</c>, <c>ok</c>, <c>warning</c> (80% spent) or <c>exhausted</c> (model replies off until next month).</summary>
    public string State => Ratio switch
    {
        null => "unlimited",
        >= 1 => "exhausted",
        >= WarningRatio => "warning",
        _ => "ok",
    };

    public bool Exhausted => State == "exhausted";
}

/// <summary>
/// Counts model tokens per tenant and month, and decides when a tenant's model replies stop: at 100% of its budget
/// the reply job uses the offline engine until the month turns or the budget is raised (read on every reply, so a
/// raise works at once). Crossing 80% and 100% each queue one <c>budget-alert</c> per month and budget.
/// </summary>
public static class TokenBudget
{
    /// <summary>"2026-11": the tenant's month at <paramref name="now"/>.</summary>
    public static string MonthOf(Tenant tenant, DateTimeOffset now) =>
        TimeZoneInfo.ConvertTime(now, tenant.Settings.Zone()).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private sealed record Row(long InputTokens, long OutputTokens, long ModelCalls);

    private const string Select = """
        SELECT input_tokens AS InputTokens, output_tokens AS OutputTokens, model_calls AS ModelCalls
        FROM token_usage WHERE tenant_id = @TenantId AND month = @Month
        """;

    public static async Task<BudgetState> ReadAsync(DbConnection connection, Tenant tenant, DateTimeOffset now)
    {
        string month = MonthOf(tenant, now);
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>(Select, new { TenantId = tenant.Id, Month = month });
        return new BudgetState(month, row?.InputTokens ?? 0, row?.OutputTokens ?? 0, row?.ModelCalls ?? 0, tenant.Settings.MonthlyTokenBudget);
    }

    /// <summary>
    /// Adds one model call's tokens in the caller's transaction and queues the alert for a threshold the tenant is
    /// now past (once per month, level and budget: the queue's unique key). Returns the state after the call.
    /// </summary>
    public static async Task<BudgetState> RecordAsync(Tx tx, JobQueue jobs, Tenant tenant, DateTimeOffset now, TokenUsage usage)
    {
        string month = MonthOf(tenant, now);
        await tx.ExecuteAsync("""
            INSERT INTO token_usage (tenant_id, month, input_tokens, output_tokens, model_calls, updated_at)
            VALUES (@TenantId, @Month, @Input, @Output, 1, @Now)
            ON CONFLICT (tenant_id, month) DO UPDATE SET
                input_tokens = token_usage.input_tokens + excluded.input_tokens,
                output_tokens = token_usage.output_tokens + excluded.output_tokens,
                model_calls = token_usage.model_calls + 1,
                updated_at = excluded.updated_at
            """, new { TenantId = tenant.Id, Month = month, usage.Input, usage.Output, Now = now.ToUnixTimeMilliseconds() });
        Row row = await tx.QuerySingleAsync<Row>(Select, new { TenantId = tenant.Id, Month = month });
        var state = new BudgetState(month, row.InputTokens, row.OutputTokens, row.ModelCalls, tenant.Settings.MonthlyTokenBudget);
        await AlertAsync(tx, jobs, tenant, state);
        return state;
    }

    /// <summary>Queues the alert for the threshold <paramref name="state"/> is past, unless it was queued already.</summary>
    public static async Task AlertAsync(Tx tx, JobQueue jobs, Tenant tenant, BudgetState state)
    {
        int? level = state.State switch { "exhausted" => 100, "warning" => 80, _ => null };
        if (level is int l && state.Budget is long budget)
        {
            await jobs.EnqueueAsync(tx, tenant.Id, new BudgetAlertPayload(state.Month, l, budget), $"{tenant.Id:N}:{state.Month}:{l}:{budget}");
        }
    }
}
