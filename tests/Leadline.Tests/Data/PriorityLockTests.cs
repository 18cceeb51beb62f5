using Leadline.Data;

namespace Leadline.Tests.Data;

public class PriorityLockTests
{
    [Fact]
    public async Task JobsGoBeforeWaitingIntakeButIntakeIsNotStarved()
    {
        var gate = new PriorityLock();
        await gate.EnterAsync(DbPriority.Normal, default);
        var order = new List<string>();
        var waiters = new List<Task>();
        for (int i = 0; i < 3; i++)
        {
            string name = "intake" + i;
            waiters.Add(Take(gate, DbPriority.Intake, name, order));
        }
        for (int i = 0; i < 6; i++)
        {
            string name = "job" + i;
            waiters.Add(Take(gate, DbPriority.Normal, name, order));
        }
        gate.Exit();
        await Task.WhenAll(waiters);

        // Four jobs, then one intake, then the remaining jobs, then the other intakes.
        Assert.Equal(["job0", "job1", "job2", "job3", "intake0", "job4", "job5", "intake1", "intake2"], order);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesTheQueue()
    {
        var gate = new PriorityLock();
        await gate.EnterAsync(DbPriority.Normal, default);
        using var cts = new CancellationTokenSource();
        Task cancelled = gate.EnterAsync(DbPriority.Intake, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Exit();
        Task next = gate.EnterAsync(DbPriority.Intake, default);
        Assert.True(next.IsCompletedSuccessfully, "the lock should be free once its holder left and the only waiter gave up");
    }

    private static async Task Take(PriorityLock gate, DbPriority priority, string name, List<string> order)
    {
        await gate.EnterAsync(priority, default);
        lock (order)
        {
            order.Add(name);
        }
        await Task.Yield();
        gate.Exit();
    }
}
