using System.Diagnostics;

namespace Leadline.Bench;

/// <summary>One e-mail as delivered: when it was due (open loop) and when it landed in new/, by both clocks.</summary>
public sealed record DeliveredMail(BenchMail Mail, long ScheduledTicks, long DeliveredTicks, DateTimeOffset DeliveredAt);

/// <summary>
/// The mail bench (--mail): waits until the server reads its mailbox, warms it up with a few e-mails, delivers N
/// distinct e-mails into the Maildir (open loop at --rate, or all at once), waits until each sender's lead has its
/// first reply, then reads every lead once more to count leads, inbound copies and replies per e-mail.
/// </summary>
public sealed class MailRun(BenchOptions options)
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);
    private const double WarmupRate = 10;

    public async Task<MailReport> RunAsync(CancellationToken ct)
    {
        using var progress = new Progress(options.Quiet);
        using var client = new LeadlineClient(options);
        var maildir = new Maildir(options.Maildir!);
        if (!maildir.IsValid)
        {
            throw new BenchAbortedException($"{maildir.Path} is not a Maildir (no tmp/ and new/ in it).");
        }
        var mails = new MailFactory(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]));
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string loadAtStart = MachineView.LoadAverage();

        await WaitConnectedAsync(client, progress, ct);
        if (options.Warmup > 0)
        {
            // The first e-mails make the server compile its IMAP, MIME and intake paths; they are answered (or timed
            // out) before the measured run starts, and are not counted.
            progress.Note($"warm-up: {options.Warmup} e-mails at {WarmupRate:0}/s");
            DeliveredMail[] warm = await DeliverAsync(maildir, mails, "warmup", options.Warmup, WarmupRate, progress, ct);
            await WaitAnsweredAsync(client, warm, TimeSpan.FromSeconds(60), progress, ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        long processedBefore = (await client.GetMailboxStatusAsync(ct))?.ProcessedTotal ?? 0;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await using ServerProcess? server = options.Pid is int pid ? new ServerProcess(pid) : null;
        progress.Note($"run {mails.RunId}: {options.Leads} e-mails " + (options.Rate is double r ? $"at {r:0.#}/s" : "all at once"));
        long deliveryStarted = Stopwatch.GetTimestamp();
        DeliveredMail[] delivered = await DeliverAsync(maildir, mails, "mail", options.Leads, options.Rate, progress, ct);
        TimeSpan deliveryElapsed = Stopwatch.GetElapsedTime(deliveryStarted);
        TimeSpan waited = await WaitAnsweredAsync(client, delivered, TimeSpan.FromSeconds(options.TimeoutSeconds), progress, ct);
        // A second lead or reply for one e-mail would come after the first; give it a moment before the final read.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        progress.Note($"verifying {delivered.Length} e-mails...");
        MailCheck[] checks = await VerifyAsync(client, delivered, ct);
        ServerStats? stats = server is null ? null : await server.StopAsync();
        long processedAfter = (await client.GetMailboxStatusAsync(ct))?.ProcessedTotal ?? 0;
        double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

        return MailReport.Build(
            mails.RunId, startedAt, options,
            new MachineView(Environment.ProcessorCount, loadAtStart, MachineView.LoadAverage(), Math.Round(clientCpu, 2)),
            delivered, deliveryElapsed, checks, waited, processedAfter - processedBefore, stats);
    }

    /// <summary>Waits until GET /v1/admin/mailbox says <c>connected</c>: the server has logged in and selected the folder.</summary>
    private static async Task WaitConnectedAsync(LeadlineClient client, Progress progress, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        MailboxStatusView? status = null;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            status = await client.GetMailboxStatusAsync(ct);
            if (status?.State == "connected")
            {
                progress.Note($"mailbox connected after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
                return;
            }
            await Task.Delay(s_tick, ct);
        }
        throw new BenchAbortedException(
            $"the server's mailbox is not connected after 60 s (state {status?.State ?? "unknown"}{(status?.LastError is { } e ? $": {e}" : "")}).");
    }

    /// <summary>Delivers the e-mails in order: lead i is due at i / rate s (open loop), or at once without a rate.</summary>
    private static async Task<DeliveredMail[]> DeliverAsync(
        Maildir maildir, MailFactory mails, string kind, int count, double? rate, Progress progress, CancellationToken ct)
    {
        BenchMail[] messages = Enumerable.Range(0, count).Select(i => mails.Create(kind, i)).ToArray();
        var delivered = new DeliveredMail[count];
        int done = 0;
        progress.Show(() => $"delivery {kind}: {Volatile.Read(ref done)}/{count} e-mails delivered");
        try
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                long due = rate is double perSecond ? start + (long)(i / perSecond * Stopwatch.Frequency) : start;
                TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, ct);
                }
                DateTimeOffset at = await maildir.DeliverAsync(messages[i].Raw, ct);
                delivered[i] = new DeliveredMail(messages[i], due, Stopwatch.GetTimestamp(), at);
                Volatile.Write(ref done, i + 1);
            }
        }
        finally
        {
            progress.Stop();
        }
        return delivered;
    }

    /// <summary>Lists the tenant's leads every 250 ms until every sender's lead has a first reply or the timeout passes.</summary>
    private static async Task<TimeSpan> WaitAnsweredAsync(
        LeadlineClient client, DeliveredMail[] delivered, TimeSpan timeout, Progress progress, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        var senders = delivered.Select(d => d.Mail.From).ToHashSet(StringComparer.OrdinalIgnoreCase);
        int leads = 0;
        int answered = 0;
        progress.Show(() => $"replies: {Volatile.Read(ref leads)}/{senders.Count} leads, {Volatile.Read(ref answered)} answered");
        try
        {
            while (Stopwatch.GetElapsedTime(started) < timeout)
            {
                List<LeadSummary>? all = await client.ListLeadsAsync(ct);
                if (all is not null)
                {
                    LeadSummary[] ours = all.Where(l => l.Email is { } e && senders.Contains(e)).DistinctBy(l => l.Email).ToArray();
                    Volatile.Write(ref leads, ours.Length);
                    Volatile.Write(ref answered, ours.Count(l => l.FirstReplyAt is not null));
                    if (answered == senders.Count)
                    {
                        break;
                    }
                }
                await Task.Delay(s_tick, ct);
            }
        }
        finally
        {
            progress.Stop();
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Per e-mail: the leads of its sender, and on the first of them its inbound copies and replies. The API does not
    /// show an inbound message's Message-ID, so the copies are found by the ref in the text.
    /// </summary>
    private static async Task<MailCheck[]> VerifyAsync(LeadlineClient client, DeliveredMail[] delivered, CancellationToken ct)
    {
        List<LeadSummary> all = await client.ListLeadsAsync(ct) ?? throw new BenchAbortedException("GET /v1/leads failed while verifying.");
        ILookup<string, LeadSummary> bySender = all.Where(l => l.Email is not null).ToLookup(l => l.Email!, StringComparer.OrdinalIgnoreCase);
        var checks = new MailCheck[delivered.Length];
        await Parallel.ForAsync(0, delivered.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            DeliveredMail d = delivered[i];
            LeadSummary[] leads = bySender[d.Mail.From].OrderBy(l => l.CreatedAt).ToArray();
            LeadSummary? lead = leads.FirstOrDefault();
            IReadOnlyList<MessageView> messages = lead is null ? [] : (await client.GetLeadAsync(lead.Id, token)).Lead?.Messages ?? [];
            checks[i] = new MailCheck(
                d.Mail.Index, d.Mail.MessageId, d.DeliveredAt, leads.Length, lead?.Id, lead?.CreatedAt, lead?.FirstReplyAt, lead?.SpeedToLeadMs,
                messages.Count(m => m.Direction == "in" && m.Body?.Contains($"(ref {d.Mail.Ref})", StringComparison.Ordinal) == true),
                messages.Count(m => m.Direction == "in"),
                messages.Count(m => m.Direction == "out"));
        });
        return checks;
    }
}

/// <summary>What the server made of one delivered e-mail. Times are the server's (milliseconds) and the bench's, one clock.</summary>
public sealed record MailCheck(
    int Index, string MessageId, DateTimeOffset DeliveredAt, int Leads, Guid? LeadId, DateTimeOffset? CreatedAt, DateTimeOffset? FirstReplyAt,
    long? SpeedToLeadMs, int InboundThisMail, int Inbound, int Outbound)
{
    /// <summary>Answered, and the lead holds this e-mail (its text, found by the ref the bench wrote into it).</summary>
    public bool Answered => FirstReplyAt is not null && InboundThisMail > 0;

    /// <summary>Delivery into new/ to the first reply accepted by the channel.</summary>
    public double? EndToEndMs => FirstReplyAt is { } r ? (r - DeliveredAt).TotalMilliseconds : null;

    /// <summary>Delivery into new/ to the lead's creation by the intake (IDLE wake-up, search, fetch, intake).</summary>
    public double? DeliveryToIntakeMs => CreatedAt is { } c ? (c - DeliveredAt).TotalMilliseconds : null;
}
