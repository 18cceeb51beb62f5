namespace Leadline.Data;

/// <summary>How a write transaction queues for SQLite's single writer (and PostgreSQL's intake gate).</summary>
public enum DbPriority
{
    /// <summary>Work on leads already accepted (jobs) and administration.</summary>
    Normal,

    /// <summary>New intake: yields to the work that answers the leads already accepted.</summary>
    Intake,
}

/// <summary>
/// An async mutex with two queues. Normal waiters go first, so a burst of new leads cannot starve the jobs that
/// answer the leads already accepted; but after <see cref="MaxNormalStreak"/> normal grants in a row a waiting
/// intake goes through, so a long job backlog (a provider outage with many retries) cannot starve intake either.
/// </summary>
public sealed class PriorityLock
{
    public const int MaxNormalStreak = 4;

    private readonly Lock _sync = new();
    private readonly LinkedList<TaskCompletionSource> _normal = new();
    private readonly LinkedList<TaskCompletionSource> _intake = new();
    private bool _held;
    private int _normalStreak;

    public async Task EnterAsync(DbPriority priority, CancellationToken ct)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (priority == DbPriority.Intake ? _intake : _normal).AddLast(waiter);
        }
        using (ct.Register(() =>
        {
            lock (_sync)
            {
                if (node.List is { } list)
                {
                    list.Remove(node);
                    waiter.TrySetCanceled(ct);
                }
            }
        }))
        {
            await waiter.Task;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? next = null;
        lock (_sync)
        {
            bool intakeTurn = _intake.Count > 0 && (_normal.Count == 0 || _normalStreak >= MaxNormalStreak);
            LinkedList<TaskCompletionSource> queue = intakeTurn ? _intake : _normal;
            if (queue.First is { } first)
            {
                queue.RemoveFirst();
                next = first.Value;
                _normalStreak = intakeTurn ? 0 : _normalStreak + 1;
            }
            else
            {
                _held = false;
                _normalStreak = 0;
            }
        }
        // The lock passes straight to the next waiter; it is never free in between.
        next?.TrySetResult();
    }
}
