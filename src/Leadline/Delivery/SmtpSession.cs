using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Leadline.Delivery;

/// <summary>
/// One connection to an SMTP server (RFC 5321): greeting, EHLO (or HELO), STARTTLS, AUTH PLAIN or LOGIN, then
/// mail transactions. Every wait has a timeout. A reply the server gives as refusal becomes a
/// <see cref="DeliveryException"/> (permanent for 5xx, transient for 4xx); broken connections surface as
/// <see cref="IOException"/>, <see cref="SocketException"/> or <see cref="TimeoutException"/>.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private const int MaxLine = 4096;

    private readonly SmtpOptions _options;
    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[8192];
    private Stream _stream = Stream.Null;
    private int _start;
    private int _end;
    private HashSet<string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private string[] _authMechanisms = [];

    private SmtpSession(SmtpOptions options, TcpClient tcp)
    {
        _options = options;
        _tcp = tcp;
    }

    public bool IsEncrypted => _stream is SslStream;

    /// <summary>The mechanism used to log in (PLAIN or LOGIN), or null without credentials.</summary>
    public string? AuthMechanism { get; private set; }

    /// <summary>Connects, says hello, secures the connection where possible and logs in when configured.</summary>
    public static async Task<SmtpSession> OpenAsync(SmtpOptions options, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        var session = new SmtpSession(options, tcp);
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connect.CancelAfter(options.ConnectTimeout);
                try
                {
                    await tcp.ConnectAsync(options.Host, options.Port, connect.Token);
                    session._stream = tcp.GetStream();
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"could not connect to {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0} s");
                }
            }
            if (options.ImplicitTls)
            {
                await session.StartTlsAsync(ct);
            }
            Expect("the greeting", await session.ReadReplyAsync("the greeting", ct), 220);
            await session.HelloAsync(ct);

            if (!session.IsEncrypted && session._extensions.Contains("STARTTLS"))
            {
                Expect("STARTTLS", await session.CommandAsync("STARTTLS", ct), 220);
                // Anything the server sent before the handshake would be read as if it came over TLS: an injection.
                if (session._end > session._start)
                {
                    throw new IOException("the server sent data after agreeing to STARTTLS and before the TLS handshake");
                }
                await session.StartTlsAsync(ct);
                await session.HelloAsync(ct);
            }
            if (options.HasCredentials)
            {
                await session.AuthenticateAsync(ct);
            }
            return session;
        }
        catch (Exception e)
        {
            if (e is DeliveryException)
            {
                // The server is there and answered, just not with yes: say goodbye instead of dropping the line.
                await session.QuitAsync(ct);
            }
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>One mail transaction: MAIL FROM, RCPT TO, DATA. <paramref name="data"/> is the whole message.</summary>
    public async Task SendAsync(string from, string to, string data, CancellationToken ct)
    {
        Expect("MAIL FROM", await CommandAsync($"MAIL FROM:<{from}>", ct), 250);
        Expect("RCPT TO", await CommandAsync($"RCPT TO:<{to}>", ct), 250, 251);
        Expect("DATA", await CommandAsync("DATA", ct), 354);
        await WriteAsync(DotStuff(data) + ".\r\n", ct);
        Expect("the message data", await ReadReplyAsync("the message data", ct), 250);
    }

    /// <summary>Ends the session politely; a server that already hung up is not an error here.</summary>
    public async Task QuitAsync(CancellationToken ct)
    {
        try
        {
            await CommandAsync("QUIT", ct);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Doubles a dot at the start of every line (RFC 5321 section 4.5.2), so a line holding a single dot in the
    /// message cannot end the data early. The data must use CRLF line endings.
    /// </summary>
    public static string DotStuff(string data)
    {
        string stuffed = data.Replace("\r\n.", "\r\n..");
        stuffed = stuffed.StartsWith('.') ? "." + stuffed : stuffed;
        return stuffed.EndsWith("\r\n", StringComparison.Ordinal) ? stuffed : stuffed + "\r\n";
    }

    private async Task HelloAsync(CancellationToken ct)
    {
        // An address literal is always a valid EHLO argument; the machine's host name often is not a domain.
        IPAddress address = (_tcp.Client.LocalEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback;
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        string me = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
        SmtpReply ehlo = await CommandAsync("EHLO " + me, ct);
        if (ehlo.Code is >= 500 and < 600)
        {
            // An old server that does not know ESMTP: plain SMTP has no extensions, so no TLS and no AUTH.
            Expect("HELO", await CommandAsync("HELO " + me, ct), 250);
            _extensions = new(StringComparer.OrdinalIgnoreCase);
            _authMechanisms = [];
            return;
        }
        Expect("EHLO", ehlo, 250);
        _extensions = new(ehlo.Lines.Skip(1).Select(l => l.Split(' ', '=')[0]), StringComparer.OrdinalIgnoreCase);
        _authMechanisms = ehlo.Lines.Skip(1)
            .Where(l => l.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || l.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            .SelectMany(l => l[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant())
            .ToArray();
    }

    private async Task AuthenticateAsync(CancellationToken ct)
    {
        if (!_extensions.Contains("AUTH"))
        {
            // Relays that trust the network (a local Postfix, a test sink) take mail without logging in.
            return;
        }
        if (!IsEncrypted && !_options.IsLoopback)
        {
            throw new DeliveryException(
                $"{_options.Host} offers no STARTTLS, and the password is not sent in clear text over the network; use smtps:// or a server with STARTTLS",
                permanent: true);
        }
        string user = _options.UserName!;
        string password = _options.Password ?? "";
        if (_authMechanisms.Contains("PLAIN"))
        {
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
            Expect("AUTH PLAIN", await CommandAsync("AUTH PLAIN " + token, ct, "AUTH PLAIN"), 235);
            AuthMechanism = "PLAIN";
        }
        else if (_authMechanisms.Contains("LOGIN"))
        {
            Expect("AUTH LOGIN", await CommandAsync("AUTH LOGIN", ct), 334);
            Expect("AUTH LOGIN", await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(user)), ct, "AUTH LOGIN"), 334);
            Expect("AUTH LOGIN", await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), ct, "AUTH LOGIN"), 235);
            AuthMechanism = "LOGIN";
        }
        else
        {
            throw new DeliveryException(
                $"{_options.Host} offers AUTH {string.Join(' ', _authMechanisms)} but this client speaks only PLAIN and LOGIN", permanent: true);
        }
    }

    private async Task StartTlsAsync(CancellationToken ct)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions { TargetHost = _options.Host.Trim('[', ']') };
        if (_options.AcceptAnyCertificateOnLoopback && _options.IsLoopback)
        {
            auth.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        await TimedAsync(async t =>
        {
            await ssl.AuthenticateAsClientAsync(auth, t);
            return true;
        }, "did not finish the TLS handshake", ct);
        _stream = ssl;
        _start = _end = 0;
    }

    /// <summary>Sends one command line; <paramref name="step"/> names it in errors (never the credentials it carries).</summary>
    private async Task<SmtpReply> CommandAsync(string command, CancellationToken ct, string? step = null)
    {
        await WriteAsync(command + "\r\n", ct);
        return await ReadReplyAsync(step ?? command.Split(' ', ':')[0], ct);
    }

    private static void Expect(string step, SmtpReply reply, params int[] codes)
    {
        if (codes.Contains(reply.Code))
        {
            return;
        }
        string text = $"SMTP server answered {step} with {reply.Code} {string.Join(" ", reply.Lines)}".TrimEnd();
        if (reply.Code is >= 400 and < 500)
        {
            throw new DeliveryException(text, permanent: false);
        }
        if (reply.Code is >= 500 and < 600)
        {
            throw new DeliveryException(text, permanent: true);
        }
        throw new IOException("unexpected reply: " + text);
    }

    private Task WriteAsync(string text, CancellationToken ct) => TimedAsync(async t =>
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), t);
        await _stream.FlushAsync(t);
        return true;
    }, "did not take our data", ct);

    private Task<SmtpReply> ReadReplyAsync(string step, CancellationToken ct) => TimedAsync(async t =>
    {
        var lines = new List<string>();
        while (true)
        {
            string line = await ReadLineAsync(t);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out int code) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new IOException($"not an SMTP reply to {step}: '{(line.Length > 40 ? line[..40] : line)}'");
            }
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }
            if (lines.Count > 200)
            {
                throw new IOException($"the reply to {step} goes on for more than 200 lines");
            }
        }
    }, $"did not answer {step}", ct);

    // Every wait has its own deadline. Only that deadline becomes a TimeoutException (a transient failure); the
    // caller's cancellation (shutdown) stays an OperationCanceledException so the job is simply picked up again.
    private async Task<T> TimedAsync<T>(Func<CancellationToken, Task<T>> work, string what, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            return await work(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{_options.Host} {what} within {_options.CommandTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, ct);
                if (_end == 0)
                {
                    throw new IOException($"{_options.Host} closed the connection");
                }
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline >= 0 ? newline : _end;
            line.AddRange(_buffer.AsSpan(_start, stop - _start));
            _start = newline >= 0 ? newline + 1 : _end;
            if (line.Count > MaxLine)
            {
                throw new IOException($"{_options.Host} sent a reply line longer than {MaxLine} bytes");
            }
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
