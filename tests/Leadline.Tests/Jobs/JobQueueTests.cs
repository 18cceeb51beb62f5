using System.Collections.Concurrent;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadline.Tests.Jobs;

/// <summary>
/// The queue on a real database, with the app's own workers switched off (ROLE=api) so each test decides
/// exactly which workers run.
/// </summary>
public abstract class JobQueueTests(Func<string> newDbUrl) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private Db _db = null!;

    public async Task InitializeAsync()
    {
        _db = new Db(DbUrl.Parse(newDbUrl()));
        _disposables.Add(_db);
        await new Migrator(_db, NullLogger<Migrator>.Instance).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_disposables))
        {
            await d.DisposeAsync();
        }
    }

    private static LeadlineOptions Options(int workers = 4) => new()
    {
        Workers = workers,
        PollInterval = TimeSpan.FromMilliseconds(100),
        JobLease = TimeSpan.FromSeconds(30),
    };

    private (JobQueue Queue, JobSignal Signal) NewQueue(Db? db = null)
    {
        var signal = new JobSignal();
        return (new JobQueue(db ?? _db, signal, TimeProvider.System, new JobQueueOptions(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1))), signal);
    }

    private async Task<JobWorker> StartWorkerAsync(JobQueue queue, JobSignal signal, IJobHandler handler, int workers = 4)
    {
        var worker = new JobWorker(queue, signal, [handler], Options(workers), NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        return worker;
    }

    private async Task EnqueueAsync(JobQueue queue, string kind, object payload, string? uniqueKey = null, int maxAttempts = 8) =>
        await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, kind, null, payload, uniqueKey, maxAttempts: maxAttempts));

    private async Task<(string Status, int Attempts, string? LastError)> WaitForStatusAsync(string kind, string status, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        (string Status, int Attempts, string? LastError) row;
        do
        {
            await using var connection = await _db.OpenAsync();
            row = await connection.QuerySingleAsync<(string, int, string?)>(
                "SELECT status, attempts, last_error FROM jobs WHERE kind = @kind", new { kind });
            if (row.Status == status)
            {
                return row;
            }
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        return row;
    }

    [Fact]
    public async Task AJobWhoseHandlerThrowsIsRetriedThenDead()
    {
        var (queue, signal) = NewQueue();
        var handler = new RecordingHandler("always-fails", _ => throw new InvalidOperationException("provider exploded"));
        await StartWorkerAsync(queue, signal, handler);
        await EnqueueAsync(queue, "always-fails", new { n = 1 }, maxAttempts: 3);

        var job = await WaitForStatusAsync("always-fails", "dead");
        Assert.Equal("dead", job.Status);
        Assert.Equal(3, job.Attempts);
        Assert.Equal(3, handler.Runs);
        Assert.Contains("provider exploded", job.LastError);
    }

    [Fact]
    public async Task APermanentFailureIsNotRetried()
    {
        var (queue, signal) = NewQueue();
        var handler = new RecordingHandler("rejected", _ => throw new PermanentJobFailure("400 bad request"));
        await StartWorkerAsync(queue, signal, handler);
        await EnqueueAsync(queue, "rejected", new { n = 1 }, maxAttempts: 5);

        var job = await WaitForStatusAsync("rejected", "dead");
        Assert.Equal(1, job.Attempts);
        Assert.Equal(1, handler.Runs);
    }

    [Fact]
    public async Task AFlakyJobSucceedsOnALaterAttempt()
    {
        var (queue, signal) = NewQueue();
        int calls = 0;
        var handler = new RecordingHandler("flaky", _ =>
        {
            if (Interlocked.Increment(ref calls) < 3)
            {
                throw new TimeoutException("timed out");
            }
        });
        await StartWorkerAsync(queue, signal, handler);
        await EnqueueAsync(queue, "flaky", new { n = 1 });

        var job = await WaitForStatusAsync("flaky", "done");
        Assert.Equal("done", job.Status);
        Assert.Equal(3, job.Attempts);
    }

    [Fact]
    public async Task AJobWhoseWorkerDiedMidRunRunsAgainAfterItsLeaseExpires()
    {
        var (queue, signal) = NewQueue();
        await EnqueueAsync(queue, "orphaned", new { n = 1 });

        // A worker claims it and dies: it never completes the job, its lease simply runs out.
        var claimed = await queue.ClaimAsync("crashed-worker", 10, TimeSpan.FromMilliseconds(300));
        Assert.Single(claimed);

        var handler = new RecordingHandler("orphaned", _ => { });
        await StartWorkerAsync(queue, signal, handler);
        var job = await WaitForStatusAsync("orphaned", "done");
        Assert.Equal("done", job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(1, handler.Runs);
    }

    [Fact]
    public async Task AUniqueKeyIsEnqueuedOnce()
    {
        var (queue, _) = NewQueue();
        bool first = await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, "once", null, new { }, "reply:abc"));
        bool second = await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, "once", null, new { }, "reply:abc"));
        Assert.True(first);
        Assert.False(second);
        await using var connection = await _db.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM jobs WHERE kind = 'once'"));
    }

    [Fact]
    public async Task AnEnqueuedJobWakesAnIdleWorkerWithoutWaitingForThePoll()
    {
        var (queue, signal) = NewQueue();
        var ran = new TaskCompletionSource();
        var handler = new RecordingHandler("wake", _ => ran.TrySetResult());
        var worker = new JobWorker(queue, signal, [handler], Options() with { PollInterval = TimeSpan.FromMinutes(5) }, NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        await Task.Delay(200);

        await EnqueueAsync(queue, "wake", new { });
        // With a five-minute poll, only the wake-up can make this finish inside the test's deadline.
        Task finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(ran.Task, finished);
    }

    [Fact]
    public async Task AFollowUpClaimedInTheHandlersCommitRunsRightAfterOnTheSameWorker()
    {
        var (queue, signal) = NewQueue();
        var ran = new TaskCompletionSource<Job>();
        var second = new RecordingHandler("second", job => ran.TrySetResult(job));
        IJobHandler first = new FollowUpHandler(_db, queue);
        // A five-minute poll and no wake-up for the follow-up: only the hand-over can run it in time.
        var worker = new JobWorker(queue, signal, [first, second], Options() with { PollInterval = TimeSpan.FromMinutes(5) }, NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        await EnqueueAsync(queue, "first", new { });

        Task finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(ran.Task, finished);
        Assert.Equal(worker.Owner, (await ran.Task).Owner);
        Assert.Equal("done", (await WaitForStatusAsync("first", "done")).Status);
        var followUp = await WaitForStatusAsync("second", "done");
        Assert.Equal("done", followUp.Status);
        Assert.Equal(1, followUp.Attempts);
    }

    [Fact]
    public void BackoffGrowsExponentiallyWithJitterAndIsCapped()
    {
        var (queue, _) = NewQueue();
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            double expected = 20 * Math.Pow(2, attempt - 1);
            TimeSpan delay = queue.Backoff(attempt);
            Assert.InRange(delay.TotalMilliseconds, expected / 2, expected);
        }
        Assert.InRange(queue.Backoff(30).TotalMilliseconds, 500, 1000);
    }

    protected async Task TwoWorkersNeverRunTheSameJobAtOnceCore()
    {
        // Two "processes": separate connection pools and separate in-process signals on one database.
        await using var otherDb = new Db(_db.Url);
        var (queueA, signalA) = NewQueue();
        var (queueB, signalB) = NewQueue(otherDb);
        var running = new ConcurrentDictionary<string, int>();
        var runs = new ConcurrentDictionary<string, int>();
        int overlaps = 0;
        Action<Job> body = job =>
        {
            if (running.AddOrUpdate(job.Payload, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            runs.AddOrUpdate(job.Payload, 1, (_, n) => n + 1);
            Thread.SpinWait(20_000);
            running.AddOrUpdate(job.Payload, 0, (_, n) => n - 1);
        };
        await StartWorkerAsync(queueA, signalA, new RecordingHandler("shared", body), workers: 8);
        await StartWorkerAsync(queueB, signalB, new RecordingHandler("shared", body), workers: 8);

        const int count = 300;
        for (int i = 0; i < count; i += 50)
        {
            int start = i;
            await _db.InTransactionAsync(async tx =>
            {
                for (int j = start; j < start + 50; j++)
                {
                    await queueA.EnqueueAsync(tx, "shared", null, new { n = j });
                }
            });
            signalB.Pulse();
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (runs.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(200);
        Assert.Equal(count, runs.Count);
        Assert.All(runs.Values, n => Assert.Equal(1, n));
        Assert.Equal(0, overlaps);
    }

    private sealed class RecordingHandler(string kind, Action<Job> body) : IJobHandler
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public string Kind => kind;

        public Task RunAsync(Job job, CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            body(job);
            return Task.CompletedTask;
        }
    }

    private sealed class FollowUpHandler(Db db, JobQueue queue) : IJobHandler
    {
        public string Kind => "first";

        public async Task RunAsync(Job job, CancellationToken ct)
        {
            Job? next = await db.InTransactionAsync(async tx =>
            {
                Job? claimed = await queue.EnqueueClaimedAsync(tx, job.Owner, TimeSpan.FromSeconds(30), "second", null, new { }, "second:" + job.Id);
                await queue.CompleteInAsync(tx, job);
                return claimed;
            }, ct);
            job.FollowUp = next;
        }
    }

    private sealed class AsyncStopper(JobWorker worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }
}

public sealed class SqliteJobQueueTests() : JobQueueTests(TestDatabases.NewSqliteUrl);

public sealed class PostgresJobQueueTests() : JobQueueTests(TestDatabases.NewPostgresUrl)
{
    [Fact]
    public Task TwoWorkersNeverRunTheSameJobAtOnce() => TwoWorkersNeverRunTheSameJobAtOnceCore();
}
