using System.Globalization;

namespace Leadline.Mail.Imap;

/// <summary>The command loop: tags, sending in segments, reading to the tagged answer, unsolicited responses.</summary>
public sealed partial class ImapClient
{
    private uint? _exists;
    private int _expunged;
    private uint? _recent;

    private bool HasChanges => _exists is not null || _expunged > 0 || _recent is not null;

    private ImapCommand NewCommand(string name) =>
        new ImapCommand(name, _capabilities.Contains("LITERAL+"), _capabilities.Contains("LITERAL-")).Raw(name);

    private string NextTag() => "L" + (++_tags).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs one public operation. A refusal (NO, BAD) leaves the connection as it was; any other failure, a
    /// cancellation included, may have left a response half read, so the connection is not used again.
    /// </summary>
    private async Task<T> UseAsync<T>(Func<Task<T>> operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_unusable)
        {
            throw new InvalidOperationException($"the connection to {Peer} failed earlier or was closed; connect again");
        }
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException("ImapClient runs one command at a time");
        }
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is not ImapCommandException)
        {
            _unusable = true;
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Sends a command and reads to its tagged answer, handing untagged responses to <paramref name="onUntagged"/>.
    /// NO and BAD become <see cref="ImapCommandException"/> (<see cref="ImapAuthenticationException"/> for a login).
    /// </summary>
    private async Task<ImapResponse> RunAsync(
        ImapCommand command, CancellationToken ct, Action<ImapResponse>? onUntagged = null, bool login = false)
    {
        string tag = NextTag();
        IReadOnlyList<byte[]> segments = command.Build(tag);
        ImapResponse? tagged = null;
        for (int i = 0; i < segments.Count && tagged is null; i++)
        {
            await WriteAsync(segments[i], ct);
            if (i < segments.Count - 1)
            {
                // The server may refuse instead of inviting the rest (a literal too big, a mechanism it lacks).
                tagged = await ReadToAsync(tag, command.Name, onUntagged, continuation: true, ct);
            }
        }
        tagged ??= await ReadToAsync(tag, command.Name, onUntagged, continuation: false, ct);
        if (tagged!.Name != "OK")
        {
            throw Refusal(command.Name, tagged, login);
        }
        return tagged;
    }

    /// <summary>Reads to the tagged answer for <paramref name="tag"/>, or to a continuation request when one is awaited (then null).</summary>
    private async Task<ImapResponse?> ReadToAsync(
        string tag, string command, Action<ImapResponse>? onUntagged, bool continuation, CancellationToken ct)
    {
        while (true)
        {
            ImapResponse response = await ReceiveAsync("to " + command, ct);
            switch (response.Kind)
            {
                case ImapResponseKind.Tagged when response.Tag == tag:
                    return response;
                case ImapResponseKind.Tagged:
                    throw new ImapProtocolException($"{Peer} answered a command that was not sent (tag {response.Tag})");
                case ImapResponseKind.Continuation when continuation:
                    return null;
                case ImapResponseKind.Continuation:
                    throw new ImapProtocolException($"{Peer} asked for more during {command}, which has nothing more to send");
                default:
                    onUntagged?.Invoke(response);
                    break;
            }
        }
    }

    private ImapCommandException Refusal(string command, ImapResponse tagged, bool login)
    {
        string code = tagged.Code is null ? "" : $"[{tagged.Code}] ";
        return login
            ? new ImapAuthenticationException(command, tagged.Name, tagged.Code, tagged.Text,
                $"{Peer} refused the login ({command} {tagged.Name}): {code}{tagged.Text}")
            : new ImapCommandException(command, tagged.Name, tagged.Code, tagged.Text,
                $"{Peer} answered {command} with {tagged.Name}: {code}{tagged.Text}");
    }

    private async Task<ImapResponse> ReceiveAsync(string what, CancellationToken ct) =>
        await TryReceiveAsync(_options.CommandTimeout, ct)
        ?? throw new TimeoutException($"{Peer} did not answer {what} within {_options.CommandTimeout.TotalSeconds:0} s");

    /// <summary>
    /// The next response, or null when none came within <paramref name="wait"/>. The read itself is never
    /// cancelled by the wait: it stays pending and the next call picks it up, so a response that was arriving just
    /// as IDLE's time ran out is not cut in half.
    /// </summary>
    private async Task<ImapResponse?> TryReceiveAsync(TimeSpan wait, CancellationToken ct)
    {
        _pending ??= _reader!.ReadAsync(_closing.Token);
        ImapResponse response;
        try
        {
            response = await _pending.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (IOException e) when (_bye is not null)
        {
            throw new IOException($"{Peer} closed the connection: {_bye}", e);
        }
        _pending = null;
        Observe(response);
        return response;
    }

    /// <summary>Keeps what any response may report, whichever command it came with.</summary>
    private void Observe(ImapResponse response)
    {
        if (response.Code == "CAPABILITY")
        {
            _capabilities = new(response.CodeValues.Select(v => v.Text), StringComparer.OrdinalIgnoreCase);
        }
        if (response.Kind != ImapResponseKind.Untagged)
        {
            return;
        }
        switch (response.Name)
        {
            case "CAPABILITY":
                _capabilities = new(response.Values.Select(v => v.Text), StringComparer.OrdinalIgnoreCase);
                break;
            case "EXISTS" when response.Number is long exists:
                _exists = Count(exists);
                Selected = Selected is null ? null : Selected with { Exists = _exists.Value };
                break;
            case "RECENT" when response.Number is long recent:
                _recent = Count(recent);
                break;
            case "EXPUNGE":
                _expunged++;
                Selected = Selected is null || Selected.Exists == 0 ? Selected : Selected with { Exists = Selected.Exists - 1 };
                break;
            case "BYE":
                _bye = response.Text;
                break;
        }
    }

    private ImapChanges TakeChanges()
    {
        if (!HasChanges)
        {
            return ImapChanges.None;
        }
        var changes = new ImapChanges(_exists, _expunged, _recent);
        (_exists, _expunged, _recent) = (null, 0, null);
        return changes;
    }

    private uint Count(long value) => value is >= 0 and <= uint.MaxValue
        ? (uint)value
        : throw new ImapProtocolException($"{Peer} sent {value}, which is not a 32-bit number");

    private async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await _stream.WriteAsync(bytes, timeout.Token);
            await _stream.FlushAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{Peer} did not take our data within {_options.CommandTimeout.TotalSeconds:0} s");
        }
    }
}
