using System.Diagnostics;
using System.Text;

namespace Leadline.Mail.Imap;

/// <summary>Work on a mailbox: open it, search, fetch, flag, and wait for changes.</summary>
public sealed partial class ImapClient
{
    /// <summary>
    /// The longest single IDLE: servers may drop a client idle for 30 minutes (RFC 2177), so a caller re-issues
    /// IDLE before then.
    /// </summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(29);

    /// <summary>Opens <paramref name="mailbox"/> for reading and flagging (SELECT).</summary>
    /// <exception cref="ImapCommandException">No such mailbox, or the server refused it.</exception>
    public Task<ImapMailbox> SelectAsync(string mailbox, CancellationToken ct) => OpenMailboxAsync("SELECT", mailbox, ct);

    /// <summary>Opens <paramref name="mailbox"/> read-only (EXAMINE): nothing done on it can change a flag.</summary>
    public Task<ImapMailbox> ExamineAsync(string mailbox, CancellationToken ct) => OpenMailboxAsync("EXAMINE", mailbox, ct);

    /// <summary>
    /// The UIDs of the messages that match <paramref name="criteria"/> (UID SEARCH), in ascending order.
    /// <paramref name="criteria"/> is IMAP search syntax, passed as is: <c>UNSEEN</c>,
    /// <c>UID 120:* NOT KEYWORD $LeadlineProcessed</c>, <c>SINCE 1-Feb-2026</c>. Note that <c>n:*</c> always
    /// matches the newest message, even when its UID is below n: compare the UIDs with n.
    /// </summary>
    public Task<IReadOnlyList<uint>> SearchAsync(string criteria, CancellationToken ct)
    {
        RequireState(authenticated: true, selected: true);
        ArgumentException.ThrowIfNullOrWhiteSpace(criteria);
        ImapCommand command = NewCommand("UID SEARCH").Raw(" " + criteria);
        return UseAsync<IReadOnlyList<uint>>(async () =>
        {
            var uids = new SortedSet<uint>();
            await RunAsync(command, ct, r =>
            {
                if (r.IsUntagged("SEARCH"))
                {
                    foreach (ImapValue value in r.Values)
                    {
                        uids.Add(value.TryGetNumber(out long uid) ? Count(uid) : throw new ImapProtocolException($"{Peer} sent '{value}' as a UID"));
                    }
                }
            });
            return [.. uids];
        });
    }

    /// <summary>
    /// UID, flags, size and, as <paramref name="body"/> asks, the header or the whole message of each of
    /// <paramref name="uids"/>, in ascending UID order, without marking them \Seen. A UID with no message (expunged
    /// meanwhile) is simply missing from the result.
    /// </summary>
    public Task<IReadOnlyList<ImapMessage>> FetchAsync(IEnumerable<uint> uids, ImapFetchBody body, CancellationToken ct)
    {
        RequireState(authenticated: true, selected: true);
        var wanted = new HashSet<uint>(uids);
        if (wanted.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ImapMessage>>([]);
        }
        string items = body switch
        {
            ImapFetchBody.Header => "(UID FLAGS RFC822.SIZE BODY.PEEK[HEADER])",
            ImapFetchBody.Full => "(UID FLAGS RFC822.SIZE BODY.PEEK[])",
            _ => "(UID FLAGS RFC822.SIZE)",
        };
        ImapCommand command = NewCommand("UID FETCH").Raw($" {ImapCommand.UidSet(wanted)} {items}");
        return UseAsync<IReadOnlyList<ImapMessage>>(async () =>
        {
            var messages = new SortedDictionary<uint, ImapMessage>();
            await RunAsync(command, ct, r =>
            {
                if (r.IsUntagged("FETCH") && r.Values is [{ Kind: ImapValueKind.List } attributes]
                    && ReadFetch(attributes.Items) is ImapMessage message && wanted.Contains(message.Uid))
                {
                    // A server may split one message's data over several FETCH responses.
                    messages[message.Uid] = messages.TryGetValue(message.Uid, out ImapMessage? earlier) ? Merge(earlier, message) : message;
                }
            });
            return [.. messages.Values];
        });
    }

    /// <summary>
    /// Adds <paramref name="flags"/> (<c>\Seen</c>, or keywords such as <c>$LeadlineProcessed</c>) to the messages
    /// (UID STORE +FLAGS.SILENT).
    /// </summary>
    /// <exception cref="NotSupportedException">
    /// The mailbox cannot keep one of the flags after the session (see <see cref="ImapMailbox.CanStoreFlag"/>):
    /// nothing is stored, and the caller must remember which UIDs it processed some other way.
    /// </exception>
    public Task AddFlagsAsync(IEnumerable<uint> uids, IEnumerable<string> flags, CancellationToken ct) => StoreAsync(uids, "+", flags, ct);

    /// <summary>Removes <paramref name="flags"/> from the messages (UID STORE -FLAGS.SILENT).</summary>
    public Task RemoveFlagsAsync(IEnumerable<uint> uids, IEnumerable<string> flags, CancellationToken ct) => StoreAsync(uids, "-", flags, ct);

    /// <summary>Asks the server for news (NOOP) and returns what it reported since the last NOOP, IDLE or SELECT.</summary>
    public Task<ImapChanges> NoopAsync(CancellationToken ct)
    {
        RequireState(authenticated: null);
        return UseAsync(async () =>
        {
            await RunAsync(NewCommand("NOOP"), ct);
            return TakeChanges();
        });
    }

    /// <summary>
    /// Waits (IDLE, RFC 2177) until the server reports a new message, an expunge or a RECENT count, or until
    /// <paramref name="maxDuration"/> has passed, then ends the IDLE and returns what was reported (nothing on
    /// timeout). Reports that came in during earlier commands are returned at once, without idling.
    /// Call it again in a loop; <paramref name="maxDuration"/> is at most <see cref="MaxIdle"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The server has no IDLE (<see cref="SupportsIdle"/>): poll with <see cref="NoopAsync"/>.</exception>
    public Task<ImapChanges> IdleAsync(TimeSpan maxDuration, CancellationToken ct)
    {
        RequireState(authenticated: true, selected: true);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDuration, MaxIdle);
        if (!SupportsIdle)
        {
            throw new NotSupportedException($"{Peer} does not support IDLE; poll with NOOP instead");
        }
        return HasChanges ? Task.FromResult(TakeChanges()) : UseAsync(() => IdleUntilAsync(maxDuration, ct));
    }

    private async Task<ImapChanges> IdleUntilAsync(TimeSpan maxDuration, CancellationToken ct)
    {
        string tag = NextTag();
        await WriteAsync(Encoding.ASCII.GetBytes(tag + " IDLE\r\n"), ct);
        ImapResponse? refused = await ReadToAsync(tag, "IDLE", null, continuation: true, ct);
        if (refused is not null)
        {
            return refused.Name == "OK" ? TakeChanges() : throw Refusal("IDLE", refused, login: false);
        }
        long started = Stopwatch.GetTimestamp();
        while (!HasChanges)
        {
            TimeSpan left = maxDuration - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || await TryReceiveAsync(left, ct) is not ImapResponse response)
            {
                break;
            }
            if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
            {
                // The server ended the IDLE itself.
                return response.Name == "OK" ? TakeChanges() : throw Refusal("IDLE", response, login: false);
            }
            if (response.Kind != ImapResponseKind.Untagged)
            {
                throw new ImapProtocolException($"{Peer} sent an unexpected {response.Kind} response during IDLE");
            }
        }
        await WriteAsync("DONE\r\n"u8.ToArray(), ct);
        ImapResponse done = (await ReadToAsync(tag, "IDLE", null, continuation: false, ct))!;
        return done.Name == "OK" ? TakeChanges() : throw Refusal("IDLE", done, login: false);
    }

    private Task<ImapMailbox> OpenMailboxAsync(string verb, string mailbox, CancellationToken ct)
    {
        RequireState(authenticated: true);
        ImapCommand command = NewCommand(verb).String(ImapCommand.MailboxName(mailbox));
        return UseAsync(async () =>
        {
            // A failed SELECT leaves no mailbox selected (RFC 3501 section 6.3.1).
            Selected = null;
            uint exists = 0;
            uint recent = 0;
            uint? uidValidity = null;
            uint? uidNext = null;
            IReadOnlyList<string> flags = [];
            IReadOnlyList<string>? permanentFlags = null;
            ImapResponse ok = await RunAsync(command, ct, r =>
            {
                switch (r.Name)
                {
                    case "EXISTS" when r.Number is long n:
                        exists = Count(n);
                        break;
                    case "RECENT" when r.Number is long n:
                        recent = Count(n);
                        break;
                    case "FLAGS" when r.Values is [{ Kind: ImapValueKind.List } list]:
                        flags = [.. list.Items.Select(v => v.Text)];
                        break;
                    case "OK" when r.Code == "UIDVALIDITY" && r.CodeValues is [var v] && v.TryGetNumber(out long n):
                        uidValidity = Count(n);
                        break;
                    case "OK" when r.Code == "UIDNEXT" && r.CodeValues is [var v] && v.TryGetNumber(out long n):
                        uidNext = Count(n);
                        break;
                    case "OK" when r.Code == "PERMANENTFLAGS" && r.CodeValues is [{ Kind: ImapValueKind.List } list]:
                        permanentFlags = [.. list.Items.Select(v => v.Text)];
                        break;
                }
            });
            if (uidValidity is null)
            {
                throw new ImapProtocolException($"{Peer} opened {mailbox} without its UIDVALIDITY, so its UIDs cannot be relied on");
            }
            TakeChanges();
            bool readOnly = verb == "EXAMINE" || ok.Code == "READ-ONLY";
            Selected = new ImapMailbox(mailbox, uidValidity.Value, uidNext, exists, recent, flags, permanentFlags, readOnly);
            return Selected;
        });
    }

    private Task StoreAsync(IEnumerable<uint> uids, string sign, IEnumerable<string> flags, CancellationToken ct)
    {
        RequireState(authenticated: true, selected: true);
        ImapMailbox mailbox = Selected!;
        string[] list = [.. flags];
        if (list.Length == 0 || list.Any(f => !IsFlag(f)))
        {
            throw new ArgumentException("flags must be system flags (\\Seen) or keywords made of atom characters", nameof(flags));
        }
        if (mailbox.ReadOnly)
        {
            throw new InvalidOperationException($"{mailbox.Name} is open read-only; SELECT it to change flags");
        }
        if (sign == "+" && list.FirstOrDefault(f => !mailbox.CanStoreFlag(f)) is string refused)
        {
            throw new NotSupportedException(
                $"{mailbox.Name} on {Peer} cannot keep the flag {refused} (PERMANENTFLAGS {string.Join(' ', mailbox.PermanentFlags ?? [])})");
        }
        uint[] set = [.. uids];
        if (set.Length == 0)
        {
            return Task.CompletedTask;
        }
        ImapCommand command = NewCommand("UID STORE").Raw($" {ImapCommand.UidSet(set)} {sign}FLAGS.SILENT ({string.Join(' ', list)})");
        return UseAsync(() => RunAsync(command, ct));
    }

    /// <summary>A system flag (<c>\Seen</c>) or a keyword: atom characters only, a backslash only in front.</summary>
    private static bool IsFlag(string flag)
    {
        string name = flag.StartsWith('\\') ? flag[1..] : flag;
        return name.Length > 0 && name.All(c => c is > ' ' and < '\x7f' and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']'));
    }

    private ImapMessage? ReadFetch(IReadOnlyList<ImapValue> attributes)
    {
        uint? uid = null;
        IReadOnlyList<string> flags = [];
        long size = -1;
        byte[]? header = null;
        byte[]? raw = null;
        for (int i = 0; i + 1 < attributes.Count; i += 2)
        {
            ImapValue value = attributes[i + 1];
            switch (attributes[i].Text.ToUpperInvariant())
            {
                case "UID" when value.TryGetNumber(out long n):
                    uid = Count(n);
                    break;
                case "FLAGS":
                    flags = [.. value.Items.Select(f => f.Text)];
                    break;
                case "RFC822.SIZE" when value.TryGetNumber(out long n):
                    size = n;
                    break;
                case "BODY[HEADER]":
                    header = value.Bytes;
                    break;
                case "BODY[]":
                    raw = value.Bytes;
                    break;
            }
        }
        // A FETCH without UID is the server telling of flags changed elsewhere, not an answer to UID FETCH.
        return uid is uint u ? new ImapMessage(u, flags, size, header, raw) : null;
    }

    private static ImapMessage Merge(ImapMessage earlier, ImapMessage later) => new(
        earlier.Uid,
        later.Flags.Count > 0 ? later.Flags : earlier.Flags,
        later.Size >= 0 ? later.Size : earlier.Size,
        later.Header ?? earlier.Header,
        later.Raw ?? earlier.Raw);
}
