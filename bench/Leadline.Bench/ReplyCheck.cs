using System.Diagnostics;

namespace Leadline.Bench;

/// <summary>What the server says about one accepted lead after the run.</summary>
public sealed record LeadCheck(Guid LeadId, Guid MessageId, int HttpStatus, long? SpeedToLeadMs, int Inbound, int Outbound, bool InboundFound)
{
    /// <summary>The engine of the first reply, and whether it was the safe fallback.</summary>
    public string? Engine { get; init; }
    public bool? Fallback { get; init; }

    /// <summary>The server's times of the lead (intake) and of its first reply accepted by the channel.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? FirstReplyAt { get; init; }

    public bool Retrievable => HttpStatus == 200 && InboundFound;
    public bool Answered => Retrievable && SpeedToLeadMs is not null && Outbound > 0;

    /// <summary>Outbound messages beyond one per inbound message: a lead answered twice.</summary>
    public int DuplicateReplies => Math.Max(0, Outbound - Math.Max(Inbound, 1));

    /// <summary>Inbound messages beyond the one sent: a repeated event stored twice.</summary>
    public int DuplicateIntakes => Math.Max(0, Inbound - 1);
}

/// <summary>Waits for every accepted lead's first reply, then reads each lead once more to count its messages.</summary>
public sealed class ReplyCheck(LeadlineClient client, Progress progress)
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_stalled = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Returns when every lead has <c>speed_to_lead_ms</c> or the timeout passes. Reading 1,000 leads is real work
    /// for the server, so while it is still busy the bench only scrapes /metrics (jobs pending, and the count of
    /// the speed-to-lead histogram against <paramref name="answeredBefore"/>); it reads the leads still unconfirmed
    /// once the metrics say all are answered, the queue is empty, or nothing has moved for three seconds.
    /// </summary>
    public async Task<TimeSpan> WaitAsync(IReadOnlyCollection<Guid> leadIds, long answeredBefore, TimeSpan timeout, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        var unanswered = new HashSet<Guid>(leadIds);
        int confirmed = 0;
        ServerProgress? server = null;
        ServerProgress? last = null;
        long lastChange = started;
        progress.Show(() => $"replies: {Volatile.Read(ref confirmed)}/{leadIds.Count} confirmed"
            + (server is null ? "" : $", {server.Answered - answeredBefore} answered and {server.JobsPending} jobs pending on the server"));
        try
        {
            while (unanswered.Count > 0 && Stopwatch.GetElapsedTime(started) < timeout)
            {
                server = await client.GetProgressAsync(ct);
                if (server != last)
                {
                    last = server;
                    lastChange = Stopwatch.GetTimestamp();
                }
                bool read = server is null
                    || server.Answered - answeredBefore >= leadIds.Count
                    || server.JobsPending == 0
                    || Stopwatch.GetElapsedTime(lastChange) >= s_stalled;
                if (read)
                {
                    Guid[] answered = await ForEachAsync(unanswered.ToList(), 8, async id =>
                        (await client.GetLeadAsync(id, ct)).Lead is { SpeedToLeadMs: not null } ? id : Guid.Empty, ct);
                    unanswered.ExceptWith(answered);
                    Volatile.Write(ref confirmed, leadIds.Count - unanswered.Count);
                    lastChange = Stopwatch.GetTimestamp();
                }
                if (unanswered.Count > 0)
                {
                    await Task.Delay(s_tick, ct);
                }
            }
        }
        finally
        {
            progress.Stop();
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Reads every accepted lead once: its speed to lead and how many messages went each way.</summary>
    public async Task<LeadCheck[]> VerifyAsync(IReadOnlyList<IntakeResponse> accepted, CancellationToken ct)
    {
        progress.Note($"verifying {accepted.Count} leads...");
        return await ForEachAsync(accepted, 16, async a =>
        {
            var (status, lead) = await client.GetLeadAsync(a.LeadId, ct);
            IReadOnlyList<MessageView> messages = lead?.Messages ?? [];
            MessageView? reply = messages.FirstOrDefault(m => m.Direction == "out");
            return new LeadCheck(
                a.LeadId, a.MessageId, status, lead?.SpeedToLeadMs,
                messages.Count(m => m.Direction == "in"),
                messages.Count(m => m.Direction == "out"),
                messages.Any(m => m.Id == a.MessageId))
            {
                Engine = reply?.Engine,
                Fallback = reply?.Fallback,
                CreatedAt = lead?.CreatedAt,
                FirstReplyAt = lead?.FirstReplyAt,
            };
        }, ct);
    }

    private static async Task<TOut[]> ForEachAsync<TIn, TOut>(IReadOnlyList<TIn> items, int parallel, Func<TIn, Task<TOut>> work, CancellationToken ct)
    {
        var results = new TOut[items.Count];
        int next = -1;
        async Task RunAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                results[i] = await work(items[i]);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, Math.Max(items.Count, 1))).Select(_ => Task.Run(RunAsync, ct)));
        return results;
    }
}
