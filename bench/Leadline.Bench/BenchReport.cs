using System.Text;

namespace Leadline.Bench;

public sealed record BenchReport(
    string RunId, DateTimeOffset StartedAt, string Url, RunConfig Config, MachineView Machine, IntakeView Intake,
    RepliesView Replies, ServerStats? Server, ModelView? Model, IReadOnlyList<TargetCheck> Targets)
{
    public bool LostOrDuplicated => Replies.Lost > 0 || Replies.DuplicateReplies > 0 || Replies.DuplicateIntakes > 0 || Replies.DuplicateLeads > 0;

    public bool RequestsFailed => Intake.Non202 > 0 || Intake.TransportErrors > 0;

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Leadline bench {RunId} against {Url} at {StartedAt:u}");
        sb.AppendLine($"  mode            {(Config.Rate is double r ? $"open loop, {r:0.#} leads/s" : "closed loop")}, concurrency {Config.Concurrency}, "
            + $"{Config.Leads} leads, {Config.Duplicates} duplicate(s) each, warm-up {Config.Warmup}");
        sb.AppendLine($"  machine         {Machine.Cores} cores, load average {Machine.LoadAverageAtStart} at start, {Machine.LoadAverageAtEnd} at end, bench client used {Machine.BenchCpuSeconds} s CPU");
        sb.AppendLine("Intake");
        sb.AppendLine($"  requests        {Intake.Requests} in {Intake.ElapsedSeconds:0.00} s = {Intake.ThroughputRps:0.0} req/s");
        sb.AppendLine($"  responses       {Intake.StatusAccepted} accepted, {Intake.StatusDuplicate} duplicate, {Intake.StatusSuppressed} suppressed, "
            + $"{Intake.Non202} non-202{Codes(Intake.Non202ByStatus)}, {Intake.TransportErrors} transport errors");
        if (Intake.FirstError is { } error)
        {
            sb.AppendLine($"  first error     {error}");
        }
        sb.AppendLine($"  latency ms      {Intake.LatencyMs}");
        if (Intake.ScheduledLatencyMs is { } scheduled)
        {
            sb.AppendLine($"  from schedule   {scheduled}");
        }
        sb.AppendLine("Replies");
        sb.AppendLine($"  answered        {Replies.Answered}/{Replies.Leads} (waited {Replies.WaitSeconds:0.00} s after the last intake)");
        sb.AppendLine($"  speed-to-lead   {Replies.SpeedToLeadMs}");
        sb.AppendLine($"  lost            {Replies.Lost} (of which {Replies.NotRetrievable} not retrievable)");
        sb.AppendLine($"  duplicates      {Replies.DuplicateReplies} extra replies, {Replies.DuplicateIntakes} extra inbound messages, {Replies.DuplicateLeads} extra leads");
        if (Server is { } s)
        {
            sb.AppendLine($"Server (pid {s.Pid})");
            sb.AppendLine($"  memory MiB      peak (VmHWM) {s.PeakRssMb}, max sampled RSS {s.MaxSampledRssMb}, at start {s.RssAtStartMb}, at end {s.RssAtEndMb}");
            sb.AppendLine($"  cpu             {s.CpuSeconds} s over the run");
        }
        Model?.Render(sb);
        sb.AppendLine("Targets (PRODUCT.md 7; overhead over the model: issue 4)");
        foreach (TargetCheck t in Targets)
        {
            string verdict = t.Met switch { true => "met", false => "MISSED", null => "n/a" };
            sb.AppendLine($"  {verdict,-7} {t.Name}: {t.Measured} (target {t.Target})");
        }
        return sb.ToString();
    }

    private static string Codes(IReadOnlyDictionary<string, int> byStatus) =>
        byStatus.Count == 0 ? "" : " (" + string.Join(", ", byStatus.Select(kv => $"{kv.Key}: {kv.Value}")) + ")";

    public static IReadOnlyList<TargetCheck> CheckTargets(RunConfig config, IntakeView intake, RepliesView replies, ServerStats? server, ModelView? model)
    {
        Percentiles intakeLatency = intake.ScheduledLatencyMs ?? intake.LatencyMs;
        double? overhead = model?.Leads?.OverheadMs.P95;
        return
        [
            new("overhead over the model p95", "< 100 ms (speed to lead minus the model's time)",
                model is null ? "no model" : model.Leads is null ? "not measured (no --llm-url)" : Ms(overhead), overhead is double o ? o < 100 : null),
            new("speed-to-lead p95", "< 250 ms at 100 concurrent leads", Ms(replies.SpeedToLeadMs.P95),
                replies.SpeedToLeadMs.P95 is double p95 && config.Rate is null && config.Concurrency >= 100 ? p95 < 250 : null),
            new("intake p99", "< 20 ms at 300 req/s sustained", $"{Ms(intakeLatency.P99)} at {intake.ThroughputRps:0} req/s",
                intakeLatency.P99 is double p99 && config.Rate >= 300 ? p99 < 20 : null),
            new("leads lost", "0", replies.Lost.ToString(), replies.Lost == 0),
            new("duplicate replies", "0", (replies.DuplicateReplies + replies.DuplicateIntakes + replies.DuplicateLeads).ToString(),
                replies.DuplicateReplies + replies.DuplicateIntakes + replies.DuplicateLeads == 0),
            new("server peak RSS", "< 200 MB", server?.PeakRssMb is double mb ? $"{mb} MiB" : "not measured (no --pid)",
                server?.PeakRssMb is double peak ? peak * 1024 * 1024 < 200_000_000 : null),
        ];
    }

    private static string Ms(double? value) => value is double v ? $"{v:0.0} ms" : "none";
}

public sealed record RunConfig(int Leads, int Concurrency, double? Rate, int Duplicates, int Warmup, int TimeoutSeconds);

/// <summary>The machine, and how busy it was: other work and the bench itself share the cores with the server.</summary>
public sealed record MachineView(int Cores, string LoadAverageAtStart, string LoadAverageAtEnd, double BenchCpuSeconds)
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

public sealed record IntakeView(
    int Leads, int Requests, int StatusAccepted, int StatusDuplicate, int StatusSuppressed, int Non202,
    IReadOnlyDictionary<string, int> Non202ByStatus, int TransportErrors, string? FirstError, double ElapsedSeconds,
    double ThroughputRps, Percentiles LatencyMs, Percentiles? ScheduledLatencyMs);

public sealed record RepliesView(
    int Leads, int Answered, int Lost, int NotRetrievable, int DuplicateReplies, int DuplicateIntakes, int DuplicateLeads,
    double WaitSeconds, Percentiles SpeedToLeadMs);

/// <summary>One target of PRODUCT.md 7; <c>Met</c> is null when this run's shape does not test it.</summary>
public sealed record TargetCheck(string Name, string Target, string Measured, bool? Met);
