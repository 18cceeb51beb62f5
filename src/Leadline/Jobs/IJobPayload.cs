namespace Leadline.Jobs;

/// <summary>
/// The payload of one kind of job. The type names its kind, so a caller enqueues a payload and cannot misspell
/// the kind, and the worker finds the handler by the same name. <see cref="Kind"/> is what the <c>jobs.kind</c>
/// column holds: changing it strands every queued and dead job of the old name, so a kind is never renamed.
/// </summary>
public interface IJobPayload
{
    /// <summary>The stored kind, e.g. <c>deliver</c>.</summary>
    static abstract string Kind { get; }

    /// <summary>
    /// What every unique key of this kind starts with (e.g. <c>deliver:</c>), so keys of different kinds never meet
    /// and the keys that older versions wrote keep deduplicating.
    /// </summary>
    static abstract string KeyPrefix { get; }
}

/// <summary>Runs one kind of job. Handlers must be idempotent: an expired lease runs a job again.</summary>
public interface IJobHandler<in TPayload> where TPayload : IJobPayload
{
    Task RunAsync(Job job, TPayload payload, CancellationToken ct);
}
