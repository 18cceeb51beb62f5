using System.Diagnostics;

namespace Leadline.Bench;

/// <summary>What the server says about one accepted lead after the run.</summary>
public sealed record LeadCheck(Guid LeadId, Guid MessageId, int HttpStatus, long? SpeedToLeadMs, int Inbound, int Outbound, bool InboundFound)
{
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
    private static readonly TimeSpan s_maxBetweenReads = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Returns when every lead has <c>speed_to_lead_ms</c> or the timeout passes. While the server still has jobs
    /// pending it only scrapes /metrics, so reading leads does not slow the replies being measured; it reads the
    /// leads still unanswered once the queue is empty, and at least every two seconds whatever the queue says.
    /// </summary>
    public async Task<TimeSpan> WaitAsync(IReadOnlyCollection<Guid> leadIds, TimeSpan timeout, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        var unanswered = new HashSet<Guid>(leadIds);
        long lastRead = 0;
        ServerProgress? server = null;
        progress.Show(() => $"replies: {leadIds.Count - unanswered.Count}/{leadIds.Count} confirmed"
            + (server is null ? "" : $", jobs pending on the server {server.JobsPending}"));
        try
        {
            while (unanswered.Count > 0 && Stopwatch.GetElapsedTime(started) < timeout)
            {
                server = await client.GetProgressAsync(ct);
                bool queueEmpty = server is null || server.JobsPending == 0;
                if (queueEmpty || Stopwatch.GetElapsedTime(lastRead) >= s_maxBetweenReads)
                {
                    lastRead = Stopwatch.GetTimestamp();
                    var answered = await ForEachAsync(unanswered.ToList(), 8, async id =>
                        (await client.GetLeadAsync(id, ct)).Lead is { SpeedToLeadMs: not null } ? id : Guid.Empty, ct);
                    unanswered.ExceptWith(answered);
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
            return new LeadCheck(
                a.LeadId, a.MessageId, status, lead?.SpeedToLeadMs,
                messages.Count(m => m.Direction == "in"),
                messages.Count(m => m.Direction == "out"),
                messages.Any(m => m.Id == a.MessageId));
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
