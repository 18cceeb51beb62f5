using Leadline.Hosting;

namespace Leadline.Jobs;

/// <summary>The queue's settings: WORKERS, JOB_POLL_MS, JOB_LEASE_SECONDS and JOB_BACKOFF_MS.</summary>
public sealed record JobsOptions
{
    /// <summary>Jobs run at once in this process.</summary>
    public int Workers { get; init; } = 16;

    /// <summary>The safety-net poll; new jobs wake the workers at once.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed job is its worker's before another may take it (a crashed worker's jobs come back).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(10);

    public static JobsOptions From(IConfiguration config) => new()
    {
        // A model call holds its worker for the model's whole latency (about a second), so with a model configured
        // more jobs run at once by default: 16 workers answer at most ~20 leads a second (docs/benchmarks.md).
        Workers = config.Int("WORKERS", config.HasModelProvider() ? 64 : 16, 1, 256),
        PollInterval = config.Milliseconds("JOB_POLL_MS", 2000, 10, 600_000),
        Lease = config.Seconds("JOB_LEASE_SECONDS", 60, 1, 3600),
        BackoffBase = config.Milliseconds("JOB_BACKOFF_MS", 1000, 1, 600_000),
    };
}
