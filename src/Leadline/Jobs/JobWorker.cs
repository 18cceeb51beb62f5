using Leadline.Hosting;
using Leadline.Observability;

namespace Leadline.Jobs;

/// <summary>
/// Claims due jobs and runs them, up to <c>WORKERS</c> at once. Woken by <see cref="JobSignal"/> (in-process
/// enqueues and PostgreSQL NOTIFY); the poll interval is only a safety net.
/// </summary>
public sealed partial class JobWorker(
    JobQueue queue, JobSignal signal, IEnumerable<JobDispatch> handlers, JobsOptions options, ILogger<JobWorker> logger)
    : BackgroundService
{
    // Two handlers of one kind are a programming error: ToDictionary throws at start rather than picking one.
    private readonly Dictionary<string, JobDispatch> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public string Owner => _owner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int size = options.Workers;
        using var slots = new SemaphoreSlim(size, size);
        var running = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                int free = 1;
                while (free < size && slots.Wait(0))
                {
                    free++;
                }

                Task wake = signal.Current;
                IReadOnlyList<Job> jobs;
                try
                {
                    jobs = await queue.ClaimAsync(_owner, free, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    slots.Release(free);
                    LogClaimFailed(e);
                    await Task.Delay(options.PollInterval, stoppingToken);
                    continue;
                }

                if (free > jobs.Count)
                {
                    slots.Release(free - jobs.Count);
                }
                foreach (Job job in jobs)
                {
                    Task task = Task.Run(async () =>
                    {
                        try
                        {
                            // A handler may hand over a job it already claimed (a reply's delivery): run it here at once.
                            for (Job? next = job; next is not null; next = next.FollowUp)
                            {
                                await RunOneAsync(next, stoppingToken);
                            }
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }, CancellationToken.None);
                    lock (running)
                    {
                        running.Add(task);
                    }
                    _ = task.ContinueWith(t => { lock (running) { running.Remove(t); } }, TaskScheduler.Default);
                }

                if (jobs.Count == 0)
                {
                    await Task.WhenAny(wake, Task.Delay(options.PollInterval, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        Task[] remaining;
        lock (running)
        {
            remaining = [.. running];
        }
        await Task.WhenAll(remaining);
    }

    private async Task RunOneAsync(Job job, CancellationToken stoppingToken)
    {
        using IDisposable? scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["JobId"] = job.Id,
            ["JobKind"] = job.Kind,
            ["TenantId"] = job.TenantId,
        });

        if (!_handlers.TryGetValue(job.Kind, out JobDispatch? handler))
        {
            await queue.FailAsync(job, $"no handler for job kind '{job.Kind}'", permanent: true, null, CancellationToken.None);
            return;
        }
        if (job.Attempts > job.MaxAttempts)
        {
            // Its lease expired more often than it may run: it probably kills its worker. Stop here.
            await queue.FailAsync(job, "lease expired after the last attempt", permanent: true, null, CancellationToken.None);
            return;
        }

        try
        {
            await handler.RunAsync(job, stoppingToken);
            await queue.CompleteAsync(job, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease expires and another worker (or this one, after a restart) runs it again.
        }
        catch (DeferJobException e)
        {
            job.FollowUp = null;
            await queue.DeferAsync(job, e.Until, e.Message, CancellationToken.None);
        }
        catch (Exception e)
        {
            bool permanent = e is PermanentJobFailure;
            TimeSpan? retryAfter = (e as RetryLaterException)?.RetryAfter;
            job.FollowUp = null;
            bool dead = await queue.FailAsync(job, $"{e.GetType().Name}: {e.Message}", permanent, retryAfter, CancellationToken.None);
            if (dead)
            {
                LogJobDead(e, job.Kind, job.Attempts);
            }
            else
            {
                LogJobRetry(job.Kind, job.Attempts, Redact.Contacts(e.Message));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming jobs failed; retrying after the poll interval")]
    private partial void LogClaimFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Kind} is dead after {Attempts} attempt(s)")]
    private partial void LogJobDead(Exception e, string kind, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Kind} failed on attempt {Attempts} and will be retried: {Reason}")]
    private partial void LogJobRetry(string kind, int attempts, string reason);
}
