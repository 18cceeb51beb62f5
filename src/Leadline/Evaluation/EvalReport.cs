using System.Globalization;
using System.Text;
using Leadline.Replies.Llm;

namespace Leadline.Evaluation;

public sealed record EvalFailure(string Id, string Field, object? Expected, object? Got);

public sealed record EvalLatency(double P50, double P95);

/// <summary>
/// The report of PRODUCT.md 6: every figure can be recomputed from <see cref="Results"/>. <see cref="Engine"/> and
/// <see cref="Model"/> are what was asked for; <see cref="Engines"/> counts the replies by the engine recorded on them,
/// so replies the offline engine wrote because the model failed are not passed off as the model's, and
/// <see cref="GuardrailBlocks"/> counts the replies that are the safe fallback in place of a draft the guardrails refused.
/// </summary>
public sealed record EvalReport(
    int Cases, string Engine, string? Model, IReadOnlyDictionary<string, int> Engines, int GuardrailBlocks,
    double? FaqAccuracy, double? FallbackAccuracy, double? LanguageAccuracy, double? UrgencyAccuracy, double? TimelineAccuracy,
    double? BudgetAccuracy, double? ScoreAccuracy, double? EscalatePrecision, double? EscalateRecall,
    int Violations, EvalLatency LatencyMs, IReadOnlyList<string> Skipped, IReadOnlyList<EvalFailure> Failures, IReadOnlyList<EvalResult> Results)
{
    /// <summary>What <see cref="Engines"/> counts for a case that got no reply within the time limit.</summary>
    public const string NoReply = "none";

    public static EvalReport Build(
        IReadOnlyList<EvalCase> cases, IReadOnlyList<EvalResult> results, IReadOnlyList<string> skipped, string engine, string? model = null)
    {
        var byId = results.ToDictionary(r => r.Id);
        var failures = new List<EvalFailure>();
        int faqTotal = 0, faqOk = 0, fbTotal = 0, fbOk = 0;
        var tallies = new Dictionary<string, (int Total, int Ok)>();
        int tp = 0, fp = 0, fn = 0;

        void Tally(string field, bool ok, object? expected, object? got, string id)
        {
            var (t, o) = tallies.GetValueOrDefault(field);
            tallies[field] = (t + 1, o + (ok ? 1 : 0));
            if (!ok)
            {
                failures.Add(new EvalFailure(id, field, expected, got));
            }
        }

        foreach (EvalCase c in cases)
        {
            EvalResult r = byId[c.Id];
            EvalExpect e = c.Expect;
            if (e.HasFaq && e.Faqs is { } accepted)
            {
                faqTotal++;
                bool ok = !r.Fallback && r.FaqIds.Any(accepted.Contains);
                faqOk += ok ? 1 : 0;
                if (!ok)
                {
                    failures.Add(new EvalFailure(c.Id, "faq", accepted, r.Fallback ? "fallback" : r.FaqIds));
                }
            }
            else if (e.HasFaq)
            {
                fbTotal++;
                fbOk += r.Fallback ? 1 : 0;
                if (!r.Fallback)
                {
                    failures.Add(new EvalFailure(c.Id, "faq", null, r.FaqIds));
                }
            }
            if (e.Language is not null)
            {
                Tally("language", e.Language == r.Language, e.Language, r.Language, c.Id);
            }
            if (e.Urgency is not null)
            {
                Tally("urgency", e.Urgency == r.Qualification.Urgency, e.Urgency, r.Qualification.Urgency, c.Id);
            }
            if (e.Timeline is not null)
            {
                Tally("timeline", e.Timeline == r.Qualification.Timeline, e.Timeline, r.Qualification.Timeline, c.Id);
            }
            if (e.HasBudget)
            {
                Tally("budget", SameBudget(e.Budget, r.Qualification.Budget), e.Budget, r.Qualification.Budget, c.Id);
            }
            if (e.Score is not null)
            {
                Tally("score", e.Score == r.Qualification.Score, e.Score, r.Qualification.Score, c.Id);
            }
            if (e.Escalate is bool expected)
            {
                tp += expected && r.Escalate ? 1 : 0;
                fp += !expected && r.Escalate ? 1 : 0;
                fn += expected && !r.Escalate ? 1 : 0;
                if (expected != r.Escalate)
                {
                    failures.Add(new EvalFailure(c.Id, "escalate", expected, r.Escalate));
                }
            }
            foreach (string v in r.Violations)
            {
                failures.Add(new EvalFailure(c.Id, "violation", null, v));
            }
        }

        double? Rate(string field) => tallies.TryGetValue(field, out var t) && t.Total > 0 ? Round((double)t.Ok / t.Total) : null;
        var latencies = results.Select(r => r.LatencyMs).Order().ToList();
        var engines = results.GroupBy(r => r.Engine ?? NoReply).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        return new EvalReport(
            results.Count, engine, model, engines, results.Count(r => r.GuardrailReasons.Count > 0),
            faqTotal > 0 ? Round((double)faqOk / faqTotal) : null,
            fbTotal > 0 ? Round((double)fbOk / fbTotal) : null,
            Rate("language"), Rate("urgency"), Rate("timeline"), Rate("budget"), Rate("score"),
            tp + fp > 0 ? Round((double)tp / (tp + fp)) : null,
            tp + fn > 0 ? Round((double)tp / (tp + fn)) : null,
            results.Sum(r => r.Violations.Count),
            new EvalLatency(Percentile(latencies, 0.50), Percentile(latencies, 0.95)),
            skipped, failures, results);
    }

    private static bool SameBudget(EvalBudget? expected, EvalBudget? got) =>
        expected is null ? got is null : got is not null && expected.Min == got.Min && expected.Max == got.Max
            && string.Equals(expected.Currency, got.Currency, StringComparison.OrdinalIgnoreCase);

    private static double Round(double v) => Math.Round(v, 4);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public string ToTable()
    {
        var sb = new StringBuilder();
        string F(double? v) => v is double d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "  n/a";
        sb.AppendLine(CultureInfo.InvariantCulture, $"Leadline evaluation: {Cases} cases, engine {Engine}{(Model is null ? "" : $", model {Model}")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Replies by engine: {(Engines.Count == 0 ? "none" : string.Join(", ", Engines.Select(e => $"{e.Key} {e.Value}")))}");
        if (Engine != LlmProviders.Offline && Engines.GetValueOrDefault(LlmProviders.Offline) is > 0 and int failed)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"  {failed} of them by the offline engine, because the model gave no usable answer (error, timeout, refusal or bad output twice).");
        }
        if (GuardrailBlocks > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {GuardrailBlocks} of them the safe fallback, because the guardrails refused the draft.");
        }
        sb.AppendLine();
        sb.AppendLine("  metric               value");
        sb.AppendLine("  -------------------  -----");
        foreach (var (name, value) in new (string, double?)[]
        {
            ("faq_accuracy", FaqAccuracy), ("fallback_accuracy", FallbackAccuracy), ("language_accuracy", LanguageAccuracy),
            ("urgency_accuracy", UrgencyAccuracy), ("timeline_accuracy", TimelineAccuracy), ("budget_accuracy", BudgetAccuracy),
            ("score_accuracy", ScoreAccuracy), ("escalate_precision", EscalatePrecision), ("escalate_recall", EscalateRecall),
        })
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {name,-19}  {F(value)}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {"violations",-19}  {Violations}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {"latency_ms p50/p95",-19}  {LatencyMs.P50:0.0} / {LatencyMs.P95:0.0}");
        if (Skipped.Count > 0)
        {
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Skipped ({Skipped.Count}):");
            foreach (string s in Skipped)
            {
                sb.AppendLine("  " + s);
            }
        }
        if (Failures.Count > 0)
        {
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Mismatches ({Failures.Count}):");
            foreach (EvalFailure f in Failures)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {f.Id,-12} {f.Field,-10} expected {Show(f.Expected)}, got {Show(f.Got)}");
            }
        }
        return sb.ToString();
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        _ => Json.Serialize(value),
    };
}
