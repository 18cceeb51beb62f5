using System.Text.Json;

namespace Leadline.Evaluation;

/// <summary>One labelled message (PRODUCT.md 6). <c>faq</c> is an id, a list of acceptable ids, or null for "fallback".</summary>
public sealed record EvalCase(
    string Id, string Tenant, string Channel, string Message, EvalExpect Expect, IReadOnlyList<string> Forbidden, int Line);

public sealed record EvalExpect(
    bool HasFaq, IReadOnlyList<string>? Faqs, string? Language, string? Urgency, string? Timeline,
    bool HasBudget, EvalBudget? Budget, bool? Escalate, string? Score);

public sealed record EvalBudget(decimal? Min, decimal? Max, string? Currency);

public static class EvalCases
{
    /// <summary>Reads a JSONL file; a malformed line is reported with its number and skipped.</summary>
    public static (List<EvalCase> Cases, List<string> Problems) Load(string path)
    {
        var cases = new List<EvalCase>();
        var problems = new List<string>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            try
            {
                cases.Add(Parse(text, line));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                problems.Add($"{Path.GetFileName(path)}:{line}: skipped, {e.Message}");
            }
        }
        return (cases, problems);
    }

    private static EvalCase Parse(string text, int line)
    {
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement root = doc.RootElement;
        string Required(string name) => root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new FormatException($"'{name}' is missing or not a string");

        string id = Required("id");
        string tenant = Required("tenant");
        string message = Required("message");
        string channel = root.TryGetProperty("channel", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "web_form";
        if (!root.TryGetProperty("expect", out JsonElement e) || e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("'expect' is missing or not an object");
        }

        bool hasFaq = e.TryGetProperty("faq", out JsonElement faq);
        List<string>? faqs = !hasFaq || faq.ValueKind == JsonValueKind.Null ? null
            : faq.ValueKind == JsonValueKind.Array ? faq.EnumerateArray().Select(f => f.GetString()!).ToList()
            : [faq.GetString()!];
        bool hasBudget = e.TryGetProperty("budget", out JsonElement budget);
        EvalBudget? expectedBudget = hasBudget && budget.ValueKind == JsonValueKind.Object
            ? new EvalBudget(Decimal(budget, "min"), Decimal(budget, "max"), budget.TryGetProperty("currency", out JsonElement cur) ? cur.GetString() : null)
            : null;

        var expect = new EvalExpect(
            hasFaq, faqs, Text(e, "language"), Text(e, "urgency"), Text(e, "timeline"), hasBudget, expectedBudget,
            e.TryGetProperty("escalate", out JsonElement esc) && esc.ValueKind is JsonValueKind.True or JsonValueKind.False ? esc.GetBoolean() : null,
            Text(e, "score"));
        var forbidden = root.TryGetProperty("forbidden", out JsonElement f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(x => x.GetString()!).ToList()
            : [];
        return new EvalCase(id, tenant, channel, message, expect, forbidden, line);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? Decimal(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
}
