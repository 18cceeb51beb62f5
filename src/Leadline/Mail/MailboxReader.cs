using System.Globalization;
using Leadline.Hosting;
using Leadline.Observability;
using Leadline.Tenants;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Leadline.Mail;

/// <summary>
/// Reads one mailbox for as long as it is configured: connect, log in, SELECT the folder, take in every message not
/// yet done, then wait for news with IDLE (re-issued every few minutes, well before servers drop an idle client at
/// 30) or, on a server without IDLE, poll every POLLER_INTERVAL_SECONDS. After any failure the connection is dropped
/// and opened again after a <see cref="ReconnectBackoff"/> delay; refused credentials wait longer, and say so once.
/// </summary>
/// <remarks>
/// <para>
/// A message counts as done once it carries the <c>$LeadlineProcessed</c> keyword, which is stored (with <c>\Seen</c>)
/// only after the intake transaction committed. A crash between the two leaves the message undone, so it is read
/// again, and the intake, idempotent on the Message-ID, answers "duplicate": nothing is lost and nothing doubled.
/// </para>
/// <para>
/// Mail that arrives in a burst is taken in by batches (<see cref="BatchSize"/> messages, at most
/// <see cref="BatchBytes"/>): one FETCH, one STORE and one status update per batch rather than per message.
/// </para>
/// <para>
/// A mailbox that cannot keep keywords (PERMANENTFLAGS without <c>\*</c>) falls back to <c>\Seen</c> and the highest
/// UID read, kept in <c>mailbox_status</c>: only messages above it are read. Either way, a mailbox read for the first
/// time is not answered back to its beginning: only mail that arrives from then on, and unread mail of the last
/// <see cref="UnreadWindowDays"/> days, is taken in.
/// </para>
/// </remarks>
public sealed partial class MailboxReader(
    MailIntake intake, MailboxStatus status, TenantStore tenants, Metrics metrics, MailOptions options,
    TimeProvider clock, ILogger<MailboxReader> logger)
{
    public const string Processed = "$LeadlineProcessed";

    /// <summary>How far back unread mail is taken in when a mailbox is first read.</summary>
    public const int UnreadWindowDays = 7;

    /// <summary>
    /// One IDLE: servers may drop a client idle for 30 minutes (RFC 2177), and NAT routers forget quiet connections
    /// sooner; the usual 9 minutes keeps the connection alive and notices a dead link.
    /// </summary>
    public static readonly TimeSpan IdleSlice = TimeSpan.FromMinutes(9);

    /// <summary>Messages fetched, taken in and flagged together when mail arrives in a burst.</summary>
    public const int BatchSize = 25;

    /// <summary>At most this much mail is held in memory at once (a larger message is read alone).</summary>
    public const long BatchBytes = 8 * 1024 * 1024;

    private static readonly ReconnectBackoff s_backoff = new();

    // Retrying refused credentials soon achieves nothing, and some servers lock an account that keeps trying.
    private static readonly ReconnectBackoff s_authBackoff = new() { Initial = TimeSpan.FromMinutes(2), Max = TimeSpan.FromMinutes(60) };

    public async Task RunAsync(Mailboxes.Target target, CancellationToken ct)
    {
        MailboxSettings mailbox = target.Settings;
        int failures = 0;
        while (!ct.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await ReadAsync(target, () => failures = 0, ct);
                continue;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (AuthenticationException e)
            {
                failures++;
                wait = s_authBackoff.Delay(failures, Random.Shared);
                LogAuthenticationFailed(target.TenantSlug, mailbox.Host, mailbox.Username, e.Message, wait.TotalMinutes);
                await RecordFailureAsync(target, "auth_failed", $"the server refused the login for {mailbox.Username}: {e.Message}");
            }
            catch (Exception e)
            {
                failures++;
                wait = s_backoff.Delay(failures, Random.Shared);
                LogFailed(target.TenantSlug, mailbox.Host, e.GetType().Name, e.Message, wait.TotalSeconds);
                await RecordFailureAsync(target, "error", $"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                metrics.SetGauge("imap_connected", 0, ("tenant", target.TenantSlug));
            }
            try
            {
                await Task.Delay(wait, clock, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ReadAsync(Mailboxes.Target target, Action connected, CancellationToken ct)
    {
        MailboxSettings mailbox = target.Settings;
        await status.SetStateAsync(target.TenantId, mailbox.Identity, "connecting", ct);
        // IMAP_TLS_CERT pins the instance's server certificate (a self-hosted server's own); tenants' servers are checked normally.
        await using MailboxConnection connection = await MailboxConnection.OpenAsync(mailbox, target.Instance ? options.ImapTlsCertificate : null, ct);
        ImapFolder folder = connection.Folder;
        bool keyword = connection.Keeps(Processed);
        bool seen = connection.Keeps(MessageFlags.Seen);
        string marking = keyword ? "keyword" : seen ? "seen" : "uid";
        bool idle = connection.SupportsIdle;
        MailboxStatus.Row row = await status.ConnectedAsync(
            target.TenantId, mailbox.Identity, folder.UidValidity, folder.UidNext?.Id, idle ? "idle" : "polling", marking, ct);
        connected();
        metrics.SetGauge("imap_connected", 1, ("tenant", target.TenantSlug));
        LogConnected(target.TenantSlug, mailbox.Host, mailbox.Folder, marking, idle);

        var reading = new Reading(connection, target.TenantId, keyword,
            new StoreFlagsRequest(StoreAction.Add, seen ? MessageFlags.Seen : MessageFlags.None, keyword ? [Processed] : []) { Silent = true });
        uint startUid = (uint)Math.Max(1, row.StartUid ?? 1);
        uint lastUid = (uint)(row.LastUid ?? 0);
        while (true)
        {
            connection.HasNews = false;
            lastUid = await TakeInAsync(reading, startUid, lastUid, ct);
            if (idle)
            {
                await connection.IdleAsync(IdleSlice, ct);
            }
            else
            {
                await Task.Delay(options.PollerInterval, clock, ct);
                await connection.NoopAsync(ct);
            }
        }
    }

    /// <summary>What a batch needs to know of the mailbox it is read from.</summary>
    private sealed record Reading(MailboxConnection Connection, Guid TenantId, bool Keyword, StoreFlagsRequest Marks)
    {
        public ImapFolder Folder => Connection.Folder;

        public Tenant Tenant { get; set; } = null!;
    }

    /// <summary>Takes in every message not done yet, oldest first; returns the highest UID read.</summary>
    private async Task<uint> TakeInAsync(Reading reading, uint startUid, uint lastUid, CancellationToken ct)
    {
        Tenant? tenant = await tenants.FindAsync(reading.TenantId, ct);
        if (tenant is null || tenant.IsPaused)
        {
            // A paused tenant takes no leads: its mail waits, untouched, until it is resumed.
            return lastUid;
        }
        reading.Tenant = tenant;
        // Without the keyword, the highest UID read is the memory of what was done.
        uint from = reading.Keyword ? startUid : Math.Max(startUid, lastUid + 1);
        SearchQuery newMail = SearchQuery.Uids(new UniqueIdRange(new UniqueId(from), UniqueId.MaxValue)).And(SearchQuery.NotDeleted);
        SearchQuery unread = SearchQuery.NotSeen.And(SearchQuery.NotDeleted)
            .And(SearchQuery.DeliveredAfter(clock.GetUtcNow().UtcDateTime.Date.AddDays(-UnreadWindowDays)));
        if (reading.Keyword)
        {
            newMail = newMail.And(SearchQuery.NotKeyword(Processed));
            unread = unread.And(SearchQuery.NotKeyword(Processed));
        }
        var uids = new SortedSet<uint>();
        // "n:*" also matches the newest message when its UID is below n, hence the check.
        uids.UnionWith((await reading.Folder.SearchAsync(newMail, ct)).Select(u => u.Id).Where(u => u >= from));
        uids.UnionWith((await reading.Folder.SearchAsync(unread, ct)).Select(u => u.Id).Where(u => reading.Keyword || u > lastUid));
        if (uids.Count == 0)
        {
            return lastUid;
        }
        if (uids.Count == 1)
        {
            // The usual case, one new mail: no need to ask for its size first.
            return Math.Max(lastUid, await TakeInBatchAsync(reading, [new UniqueId(uids.Min)], ct));
        }
        // A burst: sizes first (one small FETCH), so that a batch never holds more than BatchBytes of mail in memory.
        var batch = new List<UniqueId>();
        long bytes = 0;
        IList<IMessageSummary> sizes = await reading.Folder.FetchAsync([.. uids.Select(u => new UniqueId(u))], MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct);
        foreach (IMessageSummary message in sizes.OrderBy(m => m.UniqueId.Id))
        {
            long size = message.Size ?? 0;
            if (batch.Count > 0 && (batch.Count == BatchSize || bytes + size > BatchBytes))
            {
                lastUid = Math.Max(lastUid, await TakeInBatchAsync(reading, batch, ct));
                batch = [];
                bytes = 0;
            }
            batch.Add(message.UniqueId);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            lastUid = Math.Max(lastUid, await TakeInBatchAsync(reading, batch, ct));
        }
        return lastUid;
    }

    /// <summary>
    /// Takes in one batch: one FETCH of the whole messages (BODY.PEEK[], so fetching marks nothing read), the intake of
    /// each in UID order, then one STORE of the flags and one status update for the mail whose intake committed, even
    /// when a later one of the batch failed. Returns the highest UID taken in: every message of the batch below it was
    /// taken in too, so the highest UID read, as remembered for mailboxes without the keyword, never passes over a
    /// message whose intake failed.
    /// </summary>
    private async Task<uint> TakeInBatchAsync(Reading reading, IList<UniqueId> uids, CancellationToken ct)
    {
        var messages = new SortedDictionary<uint, MimeMessage?>();
        await reading.Folder.GetStreamsAsync(uids, (_, _, uid, stream, token) =>
        {
            messages[uid.Id] = MailContent.Load(stream, token);
            return Task.CompletedTask;
        }, ct);
        var done = new List<UniqueId>();
        try
        {
            // One after the other, in UID order: taking mail in side by side was measured slower on two cores, where
            // the intake competes with the reply jobs it starts (docs/benchmarks.md, "E-mail intake").
            foreach ((uint uid, MimeMessage? mail) in messages)
            {
                string fallbackId = string.Create(CultureInfo.InvariantCulture, $"uid:{reading.Folder.UidValidity}:{uid}");
                await intake.AcceptAsync(reading.Tenant, mail, fallbackId, "imap", ct);
                done.Add(new UniqueId(uid));
            }
        }
        finally
        {
            // Only what committed is flagged: see the remarks on the class. On a failure this is the best effort
            // before the connection is dropped; whatever is not flagged is read again, and is a duplicate then.
            if (done.Count > 0)
            {
                if (reading.Marks.Flags != MessageFlags.None || reading.Marks.Keywords.Count > 0)
                {
                    await reading.Folder.StoreAsync(done, reading.Marks, ct);
                }
                await status.ProcessedAsync(reading.TenantId, done[^1].Id, done.Count, ct);
            }
        }
        return done.Count > 0 ? done[^1].Id : 0;
    }

    private async Task RecordFailureAsync(Mailboxes.Target target, string state, string error)
    {
        try
        {
            await status.FailedAsync(target.TenantId, target.Settings.Identity, state, error, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The database being out is likely the failure itself; the reconnect loop goes on and tries again.
            LogStatusNotRecorded(target.TenantSlug, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading mailbox {Folder} on {Host} for tenant {Tenant} (read mail marked by: {Marking}, IDLE: {Idle})")]
    private partial void LogConnected(string tenant, string host, string folder, string marking, bool idle);

    [LoggerMessage(Level = LogLevel.Error, Message = "The IMAP server {Host} refused the login of user {User} for tenant {Tenant} ({ServerText}); "
        + "check the mailbox password (Gmail needs an app password). Trying again in {Minutes:0} minutes.")]
    private partial void LogAuthenticationFailed(string tenant, string host, string user, string serverText, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the mailbox on {Host} for tenant {Tenant} failed ({Error}: {Reason}); reconnecting in {Seconds:0} s")]
    private partial void LogFailed(string tenant, string host, string error, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the mailbox status of tenant {Tenant}: {Reason}")]
    private partial void LogStatusNotRecorded(string tenant, string reason);
}
