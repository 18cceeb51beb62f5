using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leadline.Bench;

/// <summary>One bench run: check the server, warm up, send the leads, wait for replies, verify, report.</summary>
public sealed class BenchRun(BenchOptions options)
{
    public static readonly JsonSerializerOptions ReportJson = new(LeadlineClient.Json) { WriteIndented = true };

    public async Task<BenchReport> RunAsync(CancellationToken ct)
    {
        using var progress = new Progress(options.Quiet);
        using var client = new LeadlineClient(options);
        var leads = new LeadFactory(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]));
        var checker = new ReplyCheck(client, progress);
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string loadAtStart = MachineView.LoadAverage();

        await CheckServerAsync(client, progress, ct);
        if (options.Warmup > 0)
        {
            // Warm-up leads let the server JIT its hot paths and fill its connection pools; they are answered (or timed
            // out) before the measured run starts, so their jobs do not compete with it, and are not counted.
            progress.Note($"warm-up: {options.Warmup} leads");
            SentLead[] warm = await new IntakeLoad(client, leads, progress)
                .RunAsync("warmup", options.Warmup, Math.Min(options.Concurrency, 10), null, 0, ct);
            await checker.WaitAsync(Accepted(warm).Select(a => a.LeadId).ToList(), await AnsweredAsync(client, ct), TimeSpan.FromSeconds(60), ct);
            // .NET re-compiles hot methods in the background shortly after they get hot; let that finish too.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        long answeredBefore = await AnsweredAsync(client, ct);
        MetricsSnapshot? metricsBefore = await client.GetMetricsAsync(ct);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await using ServerProcess? server = options.Pid is int pid ? new ServerProcess(pid) : null;
        progress.Note($"run {leads.RunId}: {options.Leads} leads" + (options.Rate is double r ? $" at {r:0.#}/s" : "")
            + $", concurrency {options.Concurrency}, {options.Duplicates} duplicate(s) each");
        var load = new IntakeLoad(client, leads, progress);
        long intakeStarted = Stopwatch.GetTimestamp();
        SentLead[] sent = await load.RunAsync("lead", options.Leads, options.Concurrency, options.Rate, options.Duplicates, ct);
        TimeSpan intakeElapsed = Stopwatch.GetElapsedTime(intakeStarted);

        List<IntakeResponse> accepted = Accepted(sent);
        TimeSpan waited = await checker.WaitAsync(
            accepted.Select(a => a.LeadId).ToList(), answeredBefore, TimeSpan.FromSeconds(options.TimeoutSeconds), ct);
        // A duplicate reply would come after the first one, so give late jobs a moment before the final read.
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        LeadCheck[] checks = await checker.VerifyAsync(accepted, ct);
        ServerStats? stats = server is null ? null : await server.StopAsync();
        MetricsSnapshot? metricsAfter = await client.GetMetricsAsync(ct);
        FakeModelCalls? calls = options.LlmUrl is { } llm ? await FakeModelCallsAsync(llm, ct) : null;
        double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

        var config = new RunConfig(options.Leads, options.Concurrency, options.Rate, options.Duplicates, options.Warmup, options.TimeoutSeconds);
        IntakeView intake = Summarise(sent, intakeElapsed);
        RepliesView replies = Summarise(sent, checks, waited);
        ModelView? model = ModelReport(sent, leads, checks, calls, metricsAfter?.Minus(metricsBefore ?? MetricsSnapshot.Parse("")));
        return new BenchReport(
            leads.RunId, startedAt, options.Url.ToString(), config,
            new MachineView(Environment.ProcessorCount, loadAtStart, MachineView.LoadAverage(), Math.Round(clientCpu, 2)),
            intake, replies, stats, model, BenchReport.CheckTargets(config, intake, replies, stats, model));
    }

    /// <summary>The model's share: reported when the server called a model during the run or a fake model is named.</summary>
    private ModelView? ModelReport(SentLead[] sent, LeadFactory leads, LeadCheck[] checks, FakeModelCalls? calls, MetricsSnapshot? delta)
    {
        bool modelCalled = delta is not null && delta.By("llm_latency_ms_count", "engine").Keys.Any(e => e != ModelView.OfflineEngine);
        if (calls is null && !modelCalled)
        {
            return null;
        }
        var refByLead = new Dictionary<Guid, string>();
        foreach (SentLead lead in sent)
        {
            if (lead.Accepted is { } accepted)
            {
                refByLead[accepted.LeadId] = leads.Ref("lead", lead.Index);
            }
        }
        return ModelView.Build(refByLead, checks, calls, delta);
    }

    private static async Task<FakeModelCalls> FakeModelCallsAsync(Uri llm, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = llm, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await http.GetFromJsonAsync<FakeModelCalls>("/bench/calls", LeadlineClient.Json, ct)
                ?? throw new BenchAbortedException($"{llm}bench/calls answered nothing.");
        }
        catch (HttpRequestException e)
        {
            throw new BenchAbortedException($"{llm}bench/calls did not answer ({e.Message}); is the fake model running?");
        }
    }

    private static async Task<long> AnsweredAsync(LeadlineClient client, CancellationToken ct) =>
        (await client.GetProgressAsync(ct))?.Answered ?? 0;

    private async Task CheckServerAsync(LeadlineClient client, Progress progress, CancellationToken ct)
    {
        if (await client.GetProgressAsync(ct) is null)
        {
            throw new BenchAbortedException($"{options.Url}metrics did not answer; is the server running?");
        }
        progress.Note("server is up");
    }

    /// <summary>Every distinct lead the server returned (copies of one lead that got two leads count both).</summary>
    private static List<IntakeResponse> Accepted(IEnumerable<SentLead> sent) =>
        sent.SelectMany(s => s.Copies.Select(c => c.Response).OfType<IntakeResponse>().DistinctBy(r => r.LeadId)).ToList();

    private IntakeView Summarise(SentLead[] sent, TimeSpan elapsed)
    {
        IntakeOutcome[] all = sent.SelectMany(s => s.Copies).ToArray();
        IntakeOutcome[] failed = all.Where(o => o.Status != 202).ToArray();
        Percentiles? scheduled = options.Rate is null
            ? null
            : Percentiles.Of(sent.SelectMany(s => s.Copies.Where(c => c.Status == 202)
                .Select(c => Stopwatch.GetElapsedTime(s.ScheduledTicks, c.Ended).TotalMilliseconds)));
        return new IntakeView(
            sent.Length,
            all.Length,
            all.Count(o => o.Response?.Status == "accepted"),
            all.Count(o => o.Response?.Status == "duplicate"),
            all.Count(o => o.Response?.Status == "suppressed"),
            failed.Count(o => o.Status != 0),
            failed.Where(o => o.Status != 0).GroupBy(o => o.Status.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            failed.Count(o => o.Status == 0),
            failed.FirstOrDefault()?.Error ?? failed.FirstOrDefault()?.Status.ToString(),
            Math.Round(elapsed.TotalSeconds, 3),
            Math.Round(all.Length / elapsed.TotalSeconds, 1),
            Percentiles.Of(all.Where(o => o.Status == 202).Select(o => o.LatencyMs)),
            scheduled);
    }

    private static RepliesView Summarise(SentLead[] sent, LeadCheck[] checks, TimeSpan waited)
    {
        int extraLeads = sent.Sum(s => Math.Max(0, s.Copies.Select(c => c.Response?.LeadId).OfType<Guid>().Distinct().Count() - 1));
        return new RepliesView(
            checks.Length,
            checks.Count(c => c.Answered),
            checks.Count(c => !c.Answered),
            checks.Count(c => !c.Retrievable),
            checks.Sum(c => c.DuplicateReplies),
            checks.Sum(c => c.DuplicateIntakes),
            extraLeads,
            Math.Round(waited.TotalSeconds, 3),
            Percentiles.Of(checks.Where(c => c.Answered).Select(c => (double)c.SpeedToLeadMs!.Value)));
    }
}

public sealed class BenchAbortedException(string message) : Exception(message);
