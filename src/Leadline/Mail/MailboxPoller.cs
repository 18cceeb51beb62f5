using Leadline.Hosting;

namespace Leadline.Mail;

/// <summary>
/// Reads every configured mailbox (<see cref="Mailboxes.ListAsync"/>), one <see cref="MailboxReader"/> loop each, in
/// the roles that run jobs (all, worker) unless POLLER_ENABLED=false. The list is read again every minute, and at once
/// when a mailbox is set or removed here: a loop whose mailbox changed is stopped and started anew, one whose tenant
/// was paused or removed its mailbox is stopped.
/// </summary>
/// <remarks>
/// With several worker instances each one reads every mailbox; that costs connections, not correctness: the intake
/// is idempotent on the Message-ID, so a mail two instances take in at once is still one lead and one reply.
/// </remarks>
public sealed partial class MailboxPoller(Mailboxes mailboxes, MailboxReader reader, MailOptions options, ILogger<MailboxPoller> logger)
    : BackgroundService
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private sealed record Loop(MailboxSettings Settings, CancellationTokenSource Stop, Task Task);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PollerEnabled)
        {
            LogDisabled();
            return;
        }
        var loops = new Dictionary<Guid, Loop>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task changed = mailboxes.Changed;
                try
                {
                    await ReconcileAsync(loops, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be down for a moment; the loops already running go on, the list is read again soon.
                    LogListFailed(e.GetType().Name, e.Message);
                }
                await Task.WhenAny(changed, Task.Delay(Refresh, stoppingToken));
            }
        }
        finally
        {
            foreach (Loop loop in loops.Values)
            {
                await loop.Stop.CancelAsync();
            }
            foreach (Loop loop in loops.Values)
            {
                await EndedAsync(loop);
            }
        }
    }

    private async Task ReconcileAsync(Dictionary<Guid, Loop> loops, CancellationToken stoppingToken)
    {
        IReadOnlyList<Mailboxes.Target> targets = await mailboxes.ListAsync(stoppingToken);
        var wanted = targets.ToDictionary(t => t.TenantId);
        foreach (var (tenantId, loop) in loops.ToList())
        {
            if (!wanted.TryGetValue(tenantId, out Mailboxes.Target? target) || target.Settings != loop.Settings || loop.Task.IsCompleted)
            {
                await loop.Stop.CancelAsync();
                await EndedAsync(loop);
                loops.Remove(tenantId);
            }
        }
        foreach (Mailboxes.Target target in targets.Where(t => !loops.ContainsKey(t.TenantId)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            // The reader handles its own failures; Task.Run keeps a slow first connect from holding up the others.
            Task task = Task.Run(() => reader.RunAsync(target, stop.Token), CancellationToken.None);
            loops[target.TenantId] = new Loop(target.Settings, stop, task);
        }
    }

    /// <summary>Waits for a stopped loop; one that ended by itself on an unexpected error is logged, and started again.</summary>
    private async Task EndedAsync(Loop loop)
    {
        try
        {
            await loop.Task;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLoopFailed(e.GetType().Name, e.Message);
        }
        loop.Stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A mailbox reader stopped on an unexpected error ({Error}: {Reason}); it is started again")]
    private partial void LogLoopFailed(string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailboxes are not read by this instance: POLLER_ENABLED is false")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the list of mailboxes ({Error}: {Reason}); trying again within a minute")]
    private partial void LogListFailed(string error, string reason);
}
