namespace Leadline.Jobs;

/// <summary>
/// A claimed job: its kind decides the handler, its payload is that handler's <see cref="IJobPayload"/> as JSON. <see cref="Owner"/> is the
/// worker holding its lease. A handler may finish the job inside its own transaction (<see cref="JobQueue.CompleteInAsync"/>)
/// and may hand the worker a <see cref="FollowUp"/> it already claimed, to run next without another round trip.
/// </summary>
public sealed record Job(Guid Id, string Kind, Guid? TenantId, string Payload, int Attempts, int MaxAttempts)
{
    public string Owner { get; set; } = "";

    public bool Completed { get; set; }

    public Job? FollowUp { get; set; }
}

/// <summary>Thrown by a handler when retrying cannot help (a 4xx from a provider, a bad payload).</summary>
public sealed class PermanentJobFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Thrown by a handler whose job may not run yet for a reason that is no failure (a lead's quiet hours): the job
/// waits until <see cref="Until"/> and the attempt it used is given back.
/// </summary>
public sealed class DeferJobException(string reason, DateTimeOffset until) : Exception(reason)
{
    public DateTimeOffset Until { get; } = until;
}

/// <summary>Thrown by a handler when the other side asked us to wait (HTTP 429/503 with Retry-After).</summary>
public sealed class RetryLaterException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
