using System.Diagnostics;

namespace Leadline.Bench;

/// <summary>One lead as sent: its copies (1 + duplicates) and, in open loop, when it was due to start.</summary>
public sealed record SentLead(int Index, long ScheduledTicks, IntakeOutcome[] Copies)
{
    /// <summary>The lead the server gave, when every 202 agrees on it; null when none was accepted.</summary>
    public IntakeResponse? Accepted => Copies.Select(c => c.Response).FirstOrDefault(r => r is not null);
}

/// <summary>
/// The intake phase. Closed loop (default): C senders, each sending its next lead as soon as the last one was
/// acknowledged. Open loop (--rate): leads start on a fixed schedule whatever the server's pace, at most C in
/// flight; the latency from the scheduled start then counts any wait the server caused (no coordinated omission).
/// </summary>
public sealed class IntakeLoad(LeadlineClient client, LeadFactory leads, Progress progress)
{
    private int _sent;
    private int _done;
    private int _failed;

    public int Sent => Volatile.Read(ref _sent);
    public int Done => Volatile.Read(ref _done);
    public int Failed => Volatile.Read(ref _failed);

    public async Task<SentLead[]> RunAsync(string kind, int count, int concurrency, double? rate, int duplicates, CancellationToken ct)
    {
        var results = new SentLead[count];
        long started = Stopwatch.GetTimestamp();
        progress.Show(() =>
        {
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return $"intake {kind}: {Done}/{count} leads acknowledged, {Sent - Done} in flight, {Failed} failed requests, "
                + $"{Done * (duplicates + 1) / Math.Max(seconds, 0.001):0} req/s";
        });
        try
        {
            if (rate is double perSecond)
            {
                await OpenLoopAsync(kind, results, concurrency, perSecond, duplicates, ct);
            }
            else
            {
                await ClosedLoopAsync(kind, results, concurrency, duplicates, ct);
            }
        }
        finally
        {
            progress.Stop();
        }
        return results;
    }

    private async Task ClosedLoopAsync(string kind, SentLead[] results, int concurrency, int duplicates, CancellationToken ct)
    {
        int next = -1;
        async Task SenderAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < results.Length)
            {
                results[index] = await SendAsync(kind, index, 0, duplicates, ct);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, results.Length)).Select(_ => Task.Run(SenderAsync, ct)));
    }

    private async Task OpenLoopAsync(string kind, SentLead[] results, int concurrency, double rate, int duplicates, CancellationToken ct)
    {
        using var inFlight = new SemaphoreSlim(concurrency, concurrency);
        var tasks = new List<Task>(results.Length);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < results.Length; i++)
        {
            long due = start + (long)(i / rate * Stopwatch.Frequency);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            // Task.Delay is only as fine as the timer tick (about 1 ms), so short waits just fall through:
            // leads then leave in small bursts but each keeps its own scheduled start for the latency.
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }
            await inFlight.WaitAsync(ct);
            int index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    results[index] = await SendAsync(kind, index, due, duplicates, ct);
                }
                finally
                {
                    inFlight.Release();
                }
            }, ct));
        }
        await Task.WhenAll(tasks);
    }

    private async Task<SentLead> SendAsync(string kind, int index, long scheduled, int duplicates, CancellationToken ct)
    {
        Interlocked.Increment(ref _sent);
        byte[] body = leads.Body(kind, index);
        IntakeOutcome[] copies = duplicates == 0
            ? [await client.PostLeadAsync(body, ct)]
            : await Task.WhenAll(Enumerable.Range(0, duplicates + 1).Select(_ => client.PostLeadAsync(body, ct)));
        Interlocked.Add(ref _failed, copies.Count(c => c.Status != 202));
        Interlocked.Increment(ref _done);
        return new SentLead(index, scheduled, copies);
    }
}
