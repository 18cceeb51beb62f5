using System.Text.Json;

namespace Leadline.Evaluation;

public sealed record EvalQualification(string? Urgency, string? Timeline, EvalBudget? Budget, string? Score);

/// <summary>
/// What the service did with one case: the exact reply text and everything the report is computed from.
/// <see cref="GuardrailReasons"/> says why the guardrails refused the engine's draft when the reply is the safe
/// fallback in its place (empty when they let it through); <see cref="Violations"/> are the evaluation's own findings.
/// </summary>
public sealed record EvalResult(
    string Id, string Reply, IReadOnlyList<string> FaqIds, bool Fallback, string? Language, EvalQualification Qualification,
    bool Escalate, string? Engine, IReadOnlyList<string> GuardrailReasons, IReadOnlyList<string> Violations, double LatencyMs)
{
    public static EvalResult From(
        EvalCase c, EvalTenant tenant, JsonElement lead, JsonElement? reply, double latencyMs, IReadOnlyList<string> guardrailReasons)
    {
        string text = reply?.GetProperty("body").GetString() ?? "";
        var faqIds = reply is { } r && r.GetProperty("faq_ids") is { ValueKind: JsonValueKind.Array } ids
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
        bool fallback = reply is null || faqIds.Count == 0 || (reply.Value.GetProperty("fallback") is { ValueKind: JsonValueKind.True });

        JsonElement q = lead.GetProperty("qualification");
        EvalBudget? budget = q.TryGetProperty("budget", out JsonElement b) && b.ValueKind == JsonValueKind.Object
            ? new EvalBudget(Number(b, "min"), Number(b, "max"), b.TryGetProperty("currency", out JsonElement cur) ? cur.GetString() : null)
            : null;
        var qualification = new EvalQualification(Text(q, "urgency"), Text(q, "timeline"), budget, lead.GetProperty("score").GetString());

        var texts = tenant.FaqTexts();
        var violations = reply is null
            ? new List<string> { "no reply within the time limit" }
            : EvalChecks.Violations(text, c.Message, faqIds.Where(texts.ContainsKey).Select(id => texts[id]), tenant.BookingLink, c.Forbidden);

        return new EvalResult(c.Id, text, faqIds, fallback, Text(q, "language"), qualification,
            lead.GetProperty("escalated").GetBoolean(), reply?.GetProperty("engine").GetString(), guardrailReasons, violations, Math.Round(latencyMs, 1));
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
}
