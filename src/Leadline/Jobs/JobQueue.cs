using Leadline.Data;
using Leadline.Observability;

namespace Leadline.Jobs;

/// <summary>The job queue is the <c>jobs</c> table: enqueue in the caller's transaction, claim with a lease.</summary>
public sealed class JobQueue(Db db, JobSignal signal, TimeProvider clock, JobsOptions options)
{
    private const string Insert = """
        INSERT INTO jobs (id, kind, tenant_id, payload, unique_key, status, run_at, attempts, max_attempts, created_at, updated_at)
        VALUES (@Id, @Kind, @TenantId, @Payload, @UniqueKey, 'pending', @RunAt, 0, @MaxAttempts, @Now, @Now)
        ON CONFLICT (unique_key) DO NOTHING
        """;

    // Only pending jobs, so both databases walk the (status, run_at) index in order instead of sorting every due
    // job on every claim; running jobs whose lease expired (their worker died) are put back to pending first.
    private const string ClaimPostgres = """
        UPDATE jobs SET status = 'running', lease_owner = @Owner, lease_expires_at = @LeaseUntil,
                        attempts = attempts + 1, updated_at = @Now
        WHERE id IN (
            SELECT id FROM jobs WHERE status = 'pending' AND run_at <= @Now
            ORDER BY run_at
            LIMIT @Max
            FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, tenant_id AS TenantId, payload, attempts, max_attempts AS MaxAttempts
        """;

    private const string ReleaseExpiredPostgres = """
        UPDATE jobs SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE id IN (
            SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < @Now
            FOR UPDATE SKIP LOCKED)
        """;

    // SQLite has one writer at a time, so the immediate transaction around these statements is the lock.
    private const string ClaimSqlite = """
        UPDATE jobs SET status = 'running', lease_owner = @Owner, lease_expires_at = @LeaseUntil,
                        attempts = attempts + 1, updated_at = @Now
        WHERE id IN (
            SELECT id FROM jobs WHERE status = 'pending' AND run_at <= @Now
            ORDER BY run_at
            LIMIT @Max)
        RETURNING id, kind, tenant_id AS TenantId, payload, attempts, max_attempts AS MaxAttempts
        """;

    private const string ReleaseExpiredSqlite = """
        UPDATE jobs SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE status = 'running' AND lease_expires_at < @Now
        """;

    private const string InsertClaimed = """
        INSERT INTO jobs (id, kind, tenant_id, payload, unique_key, status, run_at, attempts, max_attempts,
                          lease_owner, lease_expires_at, created_at, updated_at)
        VALUES (@Id, @Kind, @TenantId, @Payload, @UniqueKey, 'running', @Now, 1, @MaxAttempts, @Owner, @LeaseUntil, @Now, @Now)
        ON CONFLICT (unique_key) DO NOTHING
        """;

    private const string Complete = """
        UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner
        """;

    private const string Reschedule = """
        UPDATE jobs SET status = @Status, run_at = @RunAt, last_error = @Error,
                        lease_owner = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner
        """;

    /// <summary>
    /// Adds a job in the caller's transaction; its kind is the payload's. With a <paramref name="key"/> (the
    /// kind's <see cref="IJobPayload.KeyPrefix"/> goes before it), a second enqueue of the same key does nothing,
    /// which is how a message gets exactly one reply job however often its intake is retried.
    /// </summary>
    public async Task<bool> EnqueueAsync<TPayload>(Tx tx, Guid? tenantId, TPayload payload, string? key = null,
        DateTimeOffset? runAt = null, int maxAttempts = 8) where TPayload : IJobPayload
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        int inserted = await tx.ExecuteAsync(Insert, new
        {
            Id = Guid.CreateVersion7(),
            Kind = TPayload.Kind,
            TenantId = tenantId,
            Payload = Json.Serialize(payload),
            UniqueKey = key is null ? null : UniqueKey<TPayload>(key),
            RunAt = runAt?.ToUnixTimeMilliseconds() ?? now,
            MaxAttempts = maxAttempts,
            Now = now,
        });
        if (inserted > 0)
        {
            if (tx.Dialect == Dialect.Postgres)
            {
                // Delivered at commit to every instance that LISTENs, so another process can pick the job up at once.
                await tx.ExecuteAsync("SELECT pg_notify('leadline_jobs', '')");
            }
            tx.OnCommitted(signal.Pulse);
        }
        return inserted > 0;
    }

    /// <summary>The stored unique key of a <typeparamref name="TPayload"/> job enqueued with <paramref name="key"/>.</summary>
    public static string UniqueKey<TPayload>(string key) where TPayload : IJobPayload => TPayload.KeyPrefix + key;

    public async Task<IReadOnlyList<Job>> ClaimAsync(string owner, int max, CancellationToken ct = default)
    {
        DateTimeOffset now = clock.GetUtcNow();
        var args = new
        {
            Owner = owner,
            Max = max,
            Now = now.ToUnixTimeMilliseconds(),
            LeaseUntil = (now + options.Lease).ToUnixTimeMilliseconds(),
        };
        bool postgres = db.Dialect == Dialect.Postgres;
        List<Job> jobs = await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(postgres ? ReleaseExpiredPostgres : ReleaseExpiredSqlite, args);
            return (await tx.QueryAsync<Job>(postgres ? ClaimPostgres : ClaimSqlite, args)).ToList();
        }, ct, DbPriority.Normal);
        foreach (Job job in jobs)
        {
            job.Owner = owner;
        }
        return jobs;
    }

    /// <summary>
    /// Adds a job already claimed by <paramref name="owner"/>, to be run by the same worker right after the commit
    /// (<see cref="Job.FollowUp"/>). If that worker dies first, the lease expires and any worker runs it.
    /// Returns null when a job with the same unique key exists already.
    /// </summary>
    public async Task<Job?> EnqueueClaimedAsync<TPayload>(Tx tx, string owner, Guid? tenantId, TPayload payload,
        string key, int maxAttempts = 8) where TPayload : IJobPayload
    {
        DateTimeOffset now = clock.GetUtcNow();
        var job = new Job(Guid.CreateVersion7(), TPayload.Kind, tenantId, Json.Serialize(payload), 1, maxAttempts)
        {
            Owner = owner,
        };
        int inserted = await tx.ExecuteAsync(InsertClaimed, new
        {
            job.Id,
            job.Kind,
            TenantId = tenantId,
            job.Payload,
            UniqueKey = UniqueKey<TPayload>(key),
            MaxAttempts = maxAttempts,
            Owner = owner,
            LeaseUntil = (now + options.Lease).ToUnixTimeMilliseconds(),
            Now = now.ToUnixTimeMilliseconds(),
        });
        return inserted > 0 ? job : null;
    }

    public async Task CompleteAsync(Job job, CancellationToken ct = default)
    {
        if (!job.Completed)
        {
            await db.InTransactionAsync(tx => tx.ExecuteAsync(Complete, new { job.Id, job.Owner, Now = Now() }), ct, DbPriority.Normal);
            job.Completed = true;
        }
    }

    /// <summary>Marks the job done inside the handler's own transaction: one commit fewer per job.</summary>
    public async Task CompleteInAsync(Tx tx, Job job)
    {
        await tx.ExecuteAsync(Complete, new { job.Id, job.Owner, Now = Now() });
        tx.OnCommitted(() => job.Completed = true);
    }

    /// <summary>Schedules another attempt with exponential backoff and jitter, or marks the job dead.</summary>
    public async Task<bool> FailAsync(Job job, string error, bool permanent, TimeSpan? retryAfter, CancellationToken ct = default)
    {
        bool dead = permanent || job.Attempts >= job.MaxAttempts;
        TimeSpan delay = retryAfter ?? Backoff(job.Attempts);
        await db.InTransactionAsync(tx => tx.ExecuteAsync(Reschedule, new
        {
            job.Id,
            job.Owner,
            Status = dead ? "dead" : "pending",
            RunAt = (clock.GetUtcNow() + (dead ? TimeSpan.Zero : delay)).ToUnixTimeMilliseconds(),
            Error = error.Length > 2000 ? error[..2000] : error,
            Now = Now(),
        }), ct, DbPriority.Normal);
        return dead;
    }

    /// <summary>Puts a claimed job back until <paramref name="until"/> without counting the attempt.</summary>
    public Task DeferAsync(Job job, DateTimeOffset until, string reason, CancellationToken ct = default) =>
        db.InTransactionAsync(tx => tx.ExecuteAsync("""
            UPDATE jobs SET status = 'pending', run_at = @RunAt, attempts = attempts - 1, last_error = @reason,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = @Now
            WHERE id = @Id AND lease_owner = @Owner
            """, new { job.Id, job.Owner, RunAt = until.ToUnixTimeMilliseconds(), reason, Now = Now() }), ct, DbPriority.Normal);

    public TimeSpan Backoff(int attempts)
    {
        double exponent = Math.Min(Math.Max(attempts - 1, 0), 16);
        double baseMs = options.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent);
        double capped = Math.Min(baseMs, options.BackoffMax.TotalMilliseconds);
        // Full jitter on the upper half: spreads retries of many jobs that failed together (a provider outage).
        double jittered = capped / 2 + Random.Shared.NextDouble() * capped / 2;
        return TimeSpan.FromMilliseconds(jittered);
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}

