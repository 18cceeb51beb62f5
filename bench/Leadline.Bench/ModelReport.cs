using System.Text;

namespace Leadline.Bench;

/// <summary>
/// The model's share of a run: per lead from the fake model's record of its calls (when --llm-url names one), and
/// the server's own counters and <c>llm_latency_ms</c> histogram over the measured run.
/// </summary>
public sealed record ModelView(LeadSplit? Leads, ServerModelView Server)
{
    public const string OfflineEngine = "offline";

    /// <summary>
    /// Joins each measured lead with the fake's calls for its ref. A lead's model time is the fake's handling time
    /// of its calls (request at the handler to response written, the delay included); its overhead is its speed to
    /// lead minus that: everything the server did besides waiting for the model, queueing for a worker included.
    /// </summary>
    public static ModelView Build(
        IReadOnlyDictionary<Guid, string> refByLead, IReadOnlyList<LeadCheck> checks, FakeModelCalls? fake, MetricsSnapshot? delta)
    {
        ServerModelView server = ServerModelView.From(delta);
        if (fake is null)
        {
            return new ModelView(null, server);
        }
        ILookup<string?, FakeModelCall> byRef = fake.Calls.ToLookup(c => c.Ref);
        var measured = refByLead.Values.ToHashSet(StringComparer.Ordinal);
        FakeModelCall[] calls = fake.Calls.Where(c => c.Ref is not null && measured.Contains(c.Ref)).ToArray();

        int byModel = 0, fallback = 0, offline = 0, without = 0, several = 0;
        var modelMs = new List<double>();
        var overheadMs = new List<double>();
        var beforeMs = new List<double>();
        var afterMs = new List<double>();
        var speedToLead = new List<double>();
        foreach (LeadCheck check in checks.Where(c => c.Answered))
        {
            FakeModelCall[] own = refByLead.TryGetValue(check.LeadId, out string? leadRef) ? byRef[leadRef].ToArray() : [];
            several += own.Length > 1 ? 1 : 0;
            if (check.Engine == OfflineEngine)
            {
                offline++;
                continue;
            }
            if (own.Length == 0)
            {
                without++;
                continue;
            }
            if (check.Fallback == true)
            {
                fallback++;
            }
            else
            {
                byModel++;
            }
            double model = own.Sum(c => c.HandledMs);
            modelMs.Add(model);
            overheadMs.Add(check.SpeedToLeadMs!.Value - model);
            speedToLead.Add(check.SpeedToLeadMs!.Value);
            if (check is { CreatedAt: { } created, FirstReplyAt: { } replied })
            {
                beforeMs.Add(own.Min(c => c.ReceivedAtUnixMs) - created.ToUnixTimeMilliseconds());
                afterMs.Add(replied.ToUnixTimeMilliseconds() - own.Max(c => c.ReceivedAtUnixMs + c.HandledMs));
            }
        }

        int peak = calls.Length > 0 ? calls.Max(c => c.InFlight) : 0;
        double? callOverhead = server.Latency.FirstOrDefault(l => l.Engine != OfflineEngine) is { Calls: > 0 } engine && calls.Length > 0
            ? Math.Round(engine.MeanMs - calls.Average(c => c.HandledMs), 2)
            : null;
        return new ModelView(new LeadSplit(
            calls.Length, fake.Abandoned, peak, byModel, fallback, offline, without, several,
            Percentiles.Of(calls.Select(c => c.WaitedMs)),
            Percentiles.Of(calls.Select(c => c.HandledMs - c.WaitedMs)),
            Percentiles.Of(modelMs),
            Percentiles.Of(speedToLead),
            Percentiles.Of(overheadMs),
            Percentiles.Of(beforeMs),
            Percentiles.Of(afterMs),
            callOverhead), server);
    }

    public void Render(StringBuilder sb)
    {
        if (Leads is { } l)
        {
            sb.AppendLine("Model (fake model's record of each lead's calls)");
            sb.AppendLine($"  replies         {l.WrittenByModel} written by the model, {l.GuardrailFallbacks} model drafts replaced by the fallback, "
                + $"{l.OfflineAfterFailure} by the offline engine after a model failure, {l.WithoutModelCall} answered without a model call");
            sb.AppendLine($"  calls           {l.Calls} answered ({l.LeadsWithSeveralCalls} leads needed more than one), at most {l.PeakInFlight} at once at the fake; "
                + $"{l.AbandonedCalls} abandoned by the server since the fake started (timeouts)");
            sb.AppendLine($"  delay ms        {l.DelayMs}");
            sb.AppendLine($"  fake's own ms   {l.FakeOwnMs}");
            sb.AppendLine($"  model ms        {l.ModelMs}");
            sb.AppendLine($"  speed-to-lead   {l.SpeedToLeadMs}");
            sb.AppendLine($"  overhead ms     {l.OverheadMs}");
            sb.AppendLine($"    before model  {l.BeforeModelMs}");
            sb.AppendLine($"    after model   {l.AfterModelMs}");
            if (l.CallOverheadMeanMs is double call)
            {
                sb.AppendLine($"  per call        {call:0.0} ms mean between the server's llm_latency_ms and the fake's handling (HTTP client, SDK, JSON)");
            }
        }
        sb.AppendLine("Model (server's /metrics over the measured run)");
        foreach (EngineLatency e in Server.Latency)
        {
            sb.AppendLine($"  llm_latency_ms  {e.Engine}: {e.Calls} calls, mean {e.MeanMs:0.0}, p50 {e.P50}, p95 {e.P95}, p99 {e.P99}");
        }
        sb.AppendLine($"  replies_total   {Counts(Server.RepliesByEngine)}; {Server.FallbackReplies} with the fallback");
        sb.AppendLine($"  llm_failure     {Counts(Server.FailuresByReason)}");
        sb.AppendLine($"  guardrail block {Counts(Server.GuardrailBlocksByReason)}");
        sb.AppendLine($"  llm_tokens      {Server.InputTokens} input, {Server.OutputTokens} output");
    }

    private static string Counts(IReadOnlyDictionary<string, double> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(kv => $"{kv.Key}: {kv.Value}"));
}

/// <summary>
/// Each answered lead's speed to lead split into model time and overhead, from the fake model's calls. Delay and
/// fake's own time are per call; the rest per lead whose reply went through the model. The overhead is split at the
/// model call by wall clock (the server's lead times against the fake's): before it (waiting for a worker, loading
/// the lead, FAQ search, the prompt, sending) and after it (reading the answer, guardrails, the reply's transaction,
/// delivery), each to the millisecond the server stores.
/// </summary>
public sealed record LeadSplit(
    int Calls, int AbandonedCalls, int PeakInFlight, int WrittenByModel, int GuardrailFallbacks, int OfflineAfterFailure, int WithoutModelCall,
    int LeadsWithSeveralCalls, Percentiles DelayMs, Percentiles FakeOwnMs, Percentiles ModelMs, Percentiles SpeedToLeadMs,
    Percentiles OverheadMs, Percentiles BeforeModelMs, Percentiles AfterModelMs, double? CallOverheadMeanMs);

/// <summary>What the server's counters and histogram added during the measured run.</summary>
public sealed record ServerModelView(
    IReadOnlyList<EngineLatency> Latency, IReadOnlyDictionary<string, double> RepliesByEngine, double FallbackReplies,
    IReadOnlyDictionary<string, double> FailuresByReason, IReadOnlyDictionary<string, double> GuardrailBlocksByReason,
    double InputTokens, double OutputTokens)
{
    public static ServerModelView From(MetricsSnapshot? delta)
    {
        if (delta is null)
        {
            return new ServerModelView([], new Dictionary<string, double>(), 0, new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0);
        }
        var latency = delta.By("llm_latency_ms_count", "engine")
            .Select(e =>
            {
                (string, string) engine = ("engine", e.Key);
                return new EngineLatency(e.Key, (long)e.Value, Math.Round(delta.Sum("llm_latency_ms_sum", engine) / e.Value, 1),
                    delta.Quantile("llm_latency_ms", 0.50, engine), delta.Quantile("llm_latency_ms", 0.95, engine), delta.Quantile("llm_latency_ms", 0.99, engine));
            })
            .ToList();
        return new ServerModelView(
            latency,
            delta.By("replies_total", "engine"),
            delta.Sum("replies_total", ("fallback", "true")),
            delta.By("llm_failure_total", "reason"),
            delta.By("guardrail_block_total", "reason"),
            delta.Sum("llm_tokens_total", ("kind", "input")),
            delta.Sum("llm_tokens_total", ("kind", "output")));
    }
}

/// <summary>One engine's calls as <c>llm_latency_ms</c> saw them: the mean is exact (sum / count), percentiles are bucket estimates.</summary>
public sealed record EngineLatency(string Engine, long Calls, double MeanMs, BucketEstimate? P50, BucketEstimate? P95, BucketEstimate? P99);
