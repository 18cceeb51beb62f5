namespace Leadline.Jobs;

/// <summary>
/// Wakes idle workers as soon as a job is enqueued, so a new lead's reply starts within milliseconds
/// rather than at the next poll. Take <see cref="Current"/> before looking for work, then wait on it:
/// a pulse between the two is not lost.
/// </summary>
public sealed class JobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _next).Task;

    public void Pulse()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}
