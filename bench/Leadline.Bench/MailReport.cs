using System.Diagnostics;
using System.Text;

namespace Leadline.Bench;

/// <summary>The report of the mail bench (--mail): delivery into the Maildir to the first reply, per e-mail.</summary>
public sealed record MailReport(
    string RunId, DateTimeOffset StartedAt, string Url, MailRunConfig Config, MachineView Machine, MailDeliveryView Delivery,
    MailRepliesView Replies, ServerStats? Server, IReadOnlyList<TargetCheck> Targets, IReadOnlyList<MailCheck> Mails)
{
    /// <summary>The target of issue 6: a lead delivered to the mailbox is answered within 5 s end to end, with IDLE.</summary>
    public const double TargetMs = 5000;

    public bool LostOrDuplicated => Replies.Lost > 0 || Replies.DuplicateLeads > 0 || Replies.DuplicateInbound > 0 || Replies.DuplicateReplies > 0;

    public static MailReport Build(
        string runId, DateTimeOffset startedAt, BenchOptions options, MachineView machine, DeliveredMail[] delivered, TimeSpan deliveryElapsed,
        MailCheck[] checks, TimeSpan waited, long processed, ServerStats? server)
    {
        var config = new MailRunConfig(options.Leads, options.Rate, options.Warmup, options.TimeoutSeconds);
        var delivery = new MailDeliveryView(
            delivered.Length,
            Math.Round(deliveryElapsed.TotalSeconds, 3),
            Math.Round(delivered.Length / Math.Max(deliveryElapsed.TotalSeconds, 0.001), 1),
            Percentiles.Of(delivered.Select(d => Stopwatch.GetElapsedTime(d.ScheduledTicks, d.DeliveredTicks).TotalMilliseconds)));
        MailCheck[] answered = checks.Where(c => c.Answered).ToArray();
        DateTimeOffset[] intakes = checks.Select(c => c.CreatedAt).OfType<DateTimeOffset>().Order().ToArray();
        var replies = new MailRepliesView(
            checks.Length,
            answered.Length,
            checks.Count(c => !c.Answered),
            checks.Sum(c => Math.Max(0, c.Leads - 1)),
            checks.Sum(c => Math.Max(0, c.InboundThisMail - 1)),
            checks.Sum(c => Math.Max(0, c.Outbound - Math.Max(c.Inbound, 1))),
            processed,
            Math.Round(waited.TotalSeconds, 3),
            intakes.Length > 1 ? Math.Round((intakes[^1] - intakes[0]).TotalSeconds, 3) : null,
            Percentiles.Of(answered.Select(c => c.EndToEndMs!.Value)),
            Percentiles.Of(answered.Select(c => c.DeliveryToIntakeMs!.Value)),
            Percentiles.Of(answered.Select(c => (double)c.SpeedToLeadMs!.Value)),
            answered.Count(c => c.EndToEndMs > TargetMs));
        return new MailReport(runId, startedAt, options.Url.ToString(), config, machine, delivery, replies, server, CheckTargets(replies, server), checks);
    }

    private static IReadOnlyList<TargetCheck> CheckTargets(MailRepliesView replies, ServerStats? server)
    {
        int duplicates = replies.DuplicateLeads + replies.DuplicateInbound + replies.DuplicateReplies;
        return
        [
            new("delivered to answered, every e-mail", $"<= {TargetMs / 1000:0} s end to end with IDLE (issue 6)",
                replies.EndToEndMs.Count == 0 ? "none answered" : $"max {replies.EndToEndMs.Max:0} ms, p95 {replies.EndToEndMs.P95:0} ms, {replies.OverTarget} over",
                replies.Lost == 0 && replies.EndToEndMs.Max <= TargetMs),
            new("leads lost", "0", replies.Lost.ToString(), replies.Lost == 0),
            new("duplicates", "0", duplicates.ToString(), duplicates == 0),
            new("server peak RSS", "< 200 MB", server?.PeakRssMb is double mb ? $"{mb} MiB" : "not measured (no --pid)",
                server?.PeakRssMb is double peak ? peak * 1024 * 1024 < 200_000_000 : null),
        ];
    }

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Leadline mail bench {RunId} against {Url} at {StartedAt:u}");
        sb.AppendLine($"  mode            {Config.Leads} e-mails {(Config.Rate is double r ? $"at {r:0.#}/s (open loop)" : "all at once")}, warm-up {Config.Warmup}");
        sb.AppendLine($"  machine         {Machine.Cores} cores, load average {Machine.LoadAverageAtStart} at start, {Machine.LoadAverageAtEnd} at end, bench client used {Machine.BenchCpuSeconds} s CPU");
        sb.AppendLine("Delivery (Maildir tmp/ then rename into new/)");
        sb.AppendLine($"  e-mails         {Delivery.Messages} in {Delivery.ElapsedSeconds:0.000} s = {Delivery.RatePerSecond:0.0}/s");
        sb.AppendLine($"  late ms         {Delivery.LateMs}");
        sb.AppendLine("Replies");
        sb.AppendLine($"  answered        {Replies.Answered}/{Replies.Messages} (waited {Replies.WaitSeconds:0.00} s after the last delivery); mailbox processed {Replies.MailboxProcessed}");
        sb.AppendLine($"  end to end ms   {Replies.EndToEndMs}");
        sb.AppendLine($"  to intake ms    {Replies.DeliveryToIntakeMs}");
        sb.AppendLine($"  intake->reply   {Replies.SpeedToLeadMs}");
        if (Replies.IntakeSpanSeconds is double span)
        {
            sb.AppendLine($"  intake span     first to last lead created {span:0.000} s");
        }
        sb.AppendLine($"  lost            {Replies.Lost}");
        sb.AppendLine($"  duplicates      {Replies.DuplicateLeads} extra leads, {Replies.DuplicateInbound} extra inbound copies, {Replies.DuplicateReplies} extra replies");
        if (Server is { } s)
        {
            sb.AppendLine($"Server (pid {s.Pid})");
            sb.AppendLine($"  memory MiB      peak (VmHWM) {s.PeakRssMb}, max sampled RSS {s.MaxSampledRssMb}, at start {s.RssAtStartMb}, at end {s.RssAtEndMb}");
            sb.AppendLine($"  cpu             {s.CpuSeconds} s over the run");
        }
        sb.AppendLine("Targets");
        foreach (TargetCheck t in Targets)
        {
            string verdict = t.Met switch { true => "met", false => "MISSED", null => "n/a" };
            sb.AppendLine($"  {verdict,-7} {t.Name}: {t.Measured} (target {t.Target})");
        }
        return sb.ToString();
    }
}

public sealed record MailRunConfig(int Leads, double? Rate, int Warmup, int TimeoutSeconds);

/// <summary>How the delivery went; <c>LateMs</c> is each delivery's lag behind its schedule (all at once: behind the start).</summary>
public sealed record MailDeliveryView(int Messages, double ElapsedSeconds, double RatePerSecond, Percentiles LateMs);

/// <summary>
/// Per e-mail, in milliseconds: end to end (delivery to first reply), delivery to intake (the lead's created_at) and
/// intake to reply (the server's speed_to_lead_ms). <c>IntakeSpanSeconds</c> is first to last lead created.
/// </summary>
public sealed record MailRepliesView(
    int Messages, int Answered, int Lost, int DuplicateLeads, int DuplicateInbound, int DuplicateReplies, long MailboxProcessed,
    double WaitSeconds, double? IntakeSpanSeconds, Percentiles EndToEndMs, Percentiles DeliveryToIntakeMs, Percentiles SpeedToLeadMs,
    int OverTarget);
