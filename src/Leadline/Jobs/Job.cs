namespace Leadline.Jobs;

/// <summary>A claimed job: its kind decides the handler, its payload is that handler's JSON.</summary>
public sealed record Job(Guid Id, string Kind, Guid? TenantId, string Payload, int Attempts, int MaxAttempts);

/// <summary>Handles one kind of job. Handlers must be idempotent: an expired lease runs a job again.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task RunAsync(Job job, CancellationToken ct);
}

/// <summary>Thrown by a handler when retrying cannot help (a 4xx from a provider, a bad payload).</summary>
public sealed class PermanentJobFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Thrown by a handler when the other side asked us to wait (HTTP 429/503 with Retry-After).</summary>
public sealed class RetryLaterException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
