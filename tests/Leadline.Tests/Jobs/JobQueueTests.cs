using System.Collections.Concurrent;
using System.Text.Json;
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

    private static JobsOptions Options(int workers = 4, TimeSpan? lease = null) => new()
    {
        Workers = workers,
        PollInterval = TimeSpan.FromMilliseconds(100),
        Lease = lease ?? TimeSpan.FromSeconds(30),
        BackoffBase = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromSeconds(1),
    };

    private (JobQueue Queue, JobSignal Signal) NewQueue(Db? db = null, TimeSpan? lease = null)
    {
        var signal = new JobSignal();
        return (new JobQueue(db ?? _db, signal, TimeProvider.System, Options(lease: lease)), signal);
    }

    private async Task<JobWorker> StartWorkerAsync(JobQueue queue, JobSignal signal, JobDispatch handler, int workers = 4)
    {
        var worker = new JobWorker(queue, signal, [handler], Options(workers), NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        return worker;
    }

    private async Task EnqueueAsync(JobQueue queue, int n = 1, string? key = null, int maxAttempts = 8) =>
        await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, null, new TestJob(n), key, maxAttempts: maxAttempts));

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
        var handler = new RecordingHandler(_ => throw new InvalidOperationException("provider exploded"));
        await StartWorkerAsync(queue, signal, JobDispatch.For(handler));
        await EnqueueAsync(queue, maxAttempts: 3);

        var job = await WaitForStatusAsync(TestJob.Kind, "dead");
        Assert.Equal("dead", job.Status);
        Assert.Equal(3, job.Attempts);
        Assert.Equal(3, handler.Runs);
        Assert.Contains("provider exploded", job.LastError);
    }

    [Fact]
    public async Task APermanentFailureIsNotRetried()
    {
        var (queue, signal) = NewQueue();
        var handler = new RecordingHandler(_ => throw new PermanentJobFailure("400 bad request"));
        await StartWorkerAsync(queue, signal, JobDispatch.For(handler));
        await EnqueueAsync(queue, maxAttempts: 5);

        var job = await WaitForStatusAsync(TestJob.Kind, "dead");
        Assert.Equal(1, job.Attempts);
        Assert.Equal(1, handler.Runs);
    }

    [Fact]
    public async Task AJobWhosePayloadCannotBeReadIsDeadAtOnceSayingWhy()
    {
        var (queue, signal) = NewQueue();
        var handler = new RecordingHandler(_ => { });
        await StartWorkerAsync(queue, signal, JobDispatch.For(handler));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var connection = await _db.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, created_at, updated_at)
                VALUES (@id, 'test', '{"n": "three"}', 'pending', @now, 0, 8, @now, @now)
                """, new { id = Guid.CreateVersion7(), now });
        }
        signal.Pulse();

        var job = await WaitForStatusAsync(TestJob.Kind, "dead");
        Assert.Equal(("dead", 1), (job.Status, job.Attempts));
        Assert.Contains("payload of this test job is not a TestJob", job.LastError);
        Assert.Equal(0, handler.Runs);
    }

    [Fact]
    public async Task AFlakyJobSucceedsOnALaterAttempt()
    {
        var (queue, signal) = NewQueue();
        int calls = 0;
        var handler = new RecordingHandler(_ =>
        {
            if (Interlocked.Increment(ref calls) < 3)
            {
                throw new TimeoutException("timed out");
            }
        });
        await StartWorkerAsync(queue, signal, JobDispatch.For(handler));
        await EnqueueAsync(queue);

        var job = await WaitForStatusAsync(TestJob.Kind, "done");
        Assert.Equal("done", job.Status);
        Assert.Equal(3, job.Attempts);
    }

    [Fact]
    public async Task AJobWhoseWorkerDiedMidRunRunsAgainAfterItsLeaseExpires()
    {
        var (queue, signal) = NewQueue();
        await EnqueueAsync(queue);

        // A worker claims it and dies: it never completes the job, its lease simply runs out.
        var (shortLease, _) = NewQueue(lease: TimeSpan.FromMilliseconds(300));
        var claimed = await shortLease.ClaimAsync("crashed-worker", 10);
        Assert.Single(claimed);

        var handler = new RecordingHandler(_ => { });
        await StartWorkerAsync(queue, signal, JobDispatch.For(handler));
        var job = await WaitForStatusAsync(TestJob.Kind, "done");
        Assert.Equal("done", job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(1, handler.Runs);
    }

    [Fact]
    public async Task AUniqueKeyIsEnqueuedOnce()
    {
        var (queue, _) = NewQueue();
        bool first = await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, null, new TestJob(1), "abc"));
        bool second = await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, null, new TestJob(2), "abc"));
        // The same key of another kind is another job: the kind's prefix keeps their keys apart.
        bool other = await _db.InTransactionAsync(tx => queue.EnqueueAsync(tx, null, new SecondJob(), "abc"));
        Assert.True(first);
        Assert.False(second);
        Assert.True(other);
        await using var connection = await _db.OpenAsync();
        var rows = (await connection.QueryAsync<(string Kind, string Key, string Payload)>(
            "SELECT kind, unique_key, payload FROM jobs ORDER BY kind")).ToList();
        Assert.Equal([("second", "second:abc"), ("test", "test:abc")], rows.Select(r => (r.Kind, r.Key)));
        Assert.Equal(1, JsonDocument.Parse(rows[1].Payload).RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task AnEnqueuedJobWakesAnIdleWorkerWithoutWaitingForThePoll()
    {
        var (queue, signal) = NewQueue();
        var ran = new TaskCompletionSource();
        var handler = new RecordingHandler(_ => ran.TrySetResult());
        var worker = new JobWorker(queue, signal, [JobDispatch.For(handler)], Options() with { PollInterval = TimeSpan.FromMinutes(5) }, NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        await Task.Delay(200);

        await EnqueueAsync(queue);
        // With a five-minute poll, only the wake-up can make this finish inside the test's deadline.
        Task finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(ran.Task, finished);
    }

    [Fact]
    public async Task AFollowUpClaimedInTheHandlersCommitRunsRightAfterOnTheSameWorker()
    {
        var (queue, signal) = NewQueue();
        var ran = new TaskCompletionSource<Job>();
        var second = new SecondHandler(job => ran.TrySetResult(job));
        var first = new FollowUpHandler(_db, queue);
        // A five-minute poll and no wake-up for the follow-up: only the hand-over can run it in time.
        var worker = new JobWorker(queue, signal, [JobDispatch.For(first), JobDispatch.For(second)], Options() with { PollInterval = TimeSpan.FromMinutes(5) }, NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new AsyncStopper(worker));
        await EnqueueAsync(queue);

        Task finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(ran.Task, finished);
        Assert.Equal(worker.Owner, (await ran.Task).Owner);
        Assert.Equal("done", (await WaitForStatusAsync(TestJob.Kind, "done")).Status);
        var followUp = await WaitForStatusAsync(SecondJob.Kind, "done");
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
        await StartWorkerAsync(queueA, signalA, JobDispatch.For(new RecordingHandler(body)), workers: 8);
        await StartWorkerAsync(queueB, signalB, JobDispatch.For(new RecordingHandler(body)), workers: 8);

        const int count = 300;
        for (int i = 0; i < count; i += 50)
        {
            int start = i;
            await _db.InTransactionAsync(async tx =>
            {
                for (int j = start; j < start + 50; j++)
                {
                    await queueA.EnqueueAsync(tx, null, new TestJob(j));
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

    private sealed record TestJob(int N) : IJobPayload
    {
        public static string Kind => "test";

        public static string KeyPrefix => "test:";
    }

    private sealed record SecondJob : IJobPayload
    {
        public static string Kind => "second";

        public static string KeyPrefix => "second:";
    }

    private sealed class RecordingHandler(Action<Job> body) : IJobHandler<TestJob>
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task RunAsync(Job job, TestJob payload, CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            body(job);
            return Task.CompletedTask;
        }
    }

    private sealed class SecondHandler(Action<Job> body) : IJobHandler<SecondJob>
    {
        public Task RunAsync(Job job, SecondJob payload, CancellationToken ct)
        {
            body(job);
            return Task.CompletedTask;
        }
    }

    private sealed class FollowUpHandler(Db db, JobQueue queue) : IJobHandler<TestJob>
    {
        public async Task RunAsync(Job job, TestJob payload, CancellationToken ct)
        {
            Job? next = await db.InTransactionAsync(async tx =>
            {
                Job? claimed = await queue.EnqueueClaimedAsync(tx, job.Owner, null, new SecondJob(), job.Id.ToString());
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
