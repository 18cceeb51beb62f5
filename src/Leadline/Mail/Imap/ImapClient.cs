using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadline.Mail.Imap;

/// <summary>
/// A focused IMAP4rev1 client (RFC 3501) for reading leads from a mailbox: connect (implicit TLS, STARTTLS, or
/// plain text on loopback), log in, open a mailbox, find messages with UID SEARCH, fetch their raw bytes, flag
/// them, and wait for new mail with IDLE. It does not parse MIME.
/// <para>
/// Every wait has a deadline (<see cref="ImapOptions.ConnectTimeout"/>, <see cref="ImapOptions.CommandTimeout"/>).
/// Refusals are <see cref="ImapCommandException"/> and leave the connection usable. A broken connection
/// (<see cref="IOException"/>, <see cref="SocketException"/>, <see cref="TimeoutException"/>, a TLS
/// <see cref="System.Security.Authentication.AuthenticationException"/>), an <see cref="ImapProtocolException"/> or a
/// cancellation leaves it in an unknown state: the client then refuses further commands, and the caller disposes it
/// and connects again after a <see cref="ReconnectBackoff"/> delay.
/// </para>
/// One command at a time: the client is not for concurrent use. It logs no credentials, addresses or mail.
/// </summary>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly ImapOptions _options;
    private readonly ILogger _logger;
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly CancellationTokenSource _closing = new();
    private Stream _stream = Stream.Null;
    private ImapResponseReader? _reader;
    private Task<ImapResponse>? _pending;
    private HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private int _tags;
    private int _busy;
    private bool _unusable;
    private bool _disposed;
    private string? _bye;

    private ImapClient(ImapOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Peer = $"IMAP server {options.Host}:{options.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>What the server says it can do (IDLE, LITERAL+, AUTH=PLAIN...), as of the latest CAPABILITY.</summary>
    public IReadOnlySet<string> Capabilities => _capabilities;

    /// <summary>Whether the connection is TLS-protected now.</summary>
    public bool IsEncrypted => _stream is SslStream;

    public bool IsAuthenticated { get; private set; }

    /// <summary>The mailbox opened by the last successful SELECT or EXAMINE, with its message count kept current.</summary>
    public ImapMailbox? Selected { get; private set; }

    public bool SupportsIdle => _capabilities.Contains("IDLE");

    private string Peer { get; }

    /// <inheritdoc cref="ConnectAsync(ImapOptions, ILogger, CancellationToken)"/>
    public static Task<ImapClient> ConnectAsync(ImapOptions options, CancellationToken ct) =>
        ConnectAsync(options, NullLogger.Instance, ct);

    /// <summary>
    /// Connects, reads the greeting, secures the connection as <see cref="ImapOptions.Security"/> says and learns the
    /// capabilities. With <see cref="ImapSecurity.StartTls"/>, a server that does not offer STARTTLS is refused
    /// (<see cref="ImapProtocolException"/>) rather than used in plain text.
    /// </summary>
    /// <exception cref="ArgumentException">Plain text (<see cref="ImapSecurity.None"/>) towards a host that is not loopback.</exception>
    public static async Task<ImapClient> ConnectAsync(ImapOptions options, ILogger logger, CancellationToken ct)
    {
        if (options.Security == ImapSecurity.None && !options.IsLoopback)
        {
            throw new ArgumentException($"IMAP without TLS is allowed only towards a loopback address, not {options.Host}", nameof(options));
        }
        var client = new ImapClient(options, logger);
        try
        {
            await client.OpenAsync(ct);
            LogConnected(logger, options.Host, options.Port, options.Security, client.IsEncrypted);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Logs in with AUTHENTICATE PLAIN when the server offers it, else with LOGIN.</summary>
    public Task AuthenticateAsync(string userName, string password, CancellationToken ct) =>
        _capabilities.Contains("AUTH=PLAIN") ? AuthenticatePlainAsync(userName, password, ct) : LoginAsync(userName, password, ct);

    /// <summary>Logs in with the LOGIN command; the name and password go as quoted strings or literals, as needed.</summary>
    /// <exception cref="ImapAuthenticationException">The server refused the credentials.</exception>
    public Task LoginAsync(string userName, string password, CancellationToken ct)
    {
        RequireState(authenticated: false);
        if (_capabilities.Contains("LOGINDISABLED"))
        {
            throw new NotSupportedException($"{Peer} has disabled LOGIN on this connection (LOGINDISABLED)");
        }
        ImapCommand command = NewCommand("LOGIN").String(userName).String(password);
        return UseAsync(() => SignInAsync(command, "LOGIN", ct));
    }

    /// <summary>Logs in with AUTHENTICATE PLAIN (RFC 4616), in one round trip when the server offers SASL-IR.</summary>
    /// <exception cref="ImapAuthenticationException">The server refused the credentials.</exception>
    public Task AuthenticatePlainAsync(string userName, string password, CancellationToken ct)
    {
        RequireState(authenticated: false);
        if (!_capabilities.Contains("AUTH=PLAIN"))
        {
            throw new NotSupportedException($"{Peer} does not offer AUTHENTICATE PLAIN");
        }
        string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{userName}\0{password}"));
        ImapCommand command = NewCommand("AUTHENTICATE").Raw(" PLAIN");
        command = _capabilities.Contains("SASL-IR") ? command.Raw(" " + token) : command.AwaitContinuation().Raw(token);
        return UseAsync(() => SignInAsync(command, "PLAIN", ct));
    }

    /// <summary>Says goodbye. A connection that is already broken or gone is not an error here.</summary>
    public async Task LogoutAsync(CancellationToken ct)
    {
        if (_unusable || _disposed)
        {
            return;
        }
        try
        {
            await UseAsync(() => RunAsync(NewCommand("LOGOUT"), ct));
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ImapException)
        {
        }
        _unusable = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _unusable = true;
        await _closing.CancelAsync();
        await _stream.DisposeAsync();
        _tcp.Dispose();
        // A read may still be waiting for the server; it fails now, and nobody needs to hear about it.
        _ = _pending?.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        _closing.Dispose();
    }

    private async Task OpenAsync(CancellationToken ct)
    {
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(_options.ConnectTimeout);
            try
            {
                await _tcp.ConnectAsync(_options.Host, _options.Port, connect.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"could not connect to {Peer} within {_options.ConnectTimeout.TotalSeconds:0} s");
            }
        }
        _stream = _tcp.GetStream();
        _reader = new ImapResponseReader(_stream, Peer, _options.MaxLiteralSize);
        if (_options.Security == ImapSecurity.Implicit)
        {
            await StartTlsAsync(ct);
        }

        ImapResponse greeting = await ReceiveAsync("with a greeting", ct);
        if (greeting.Kind != ImapResponseKind.Untagged || greeting.Name is not ("OK" or "PREAUTH" or "BYE"))
        {
            throw new ImapProtocolException($"{Peer} did not greet like an IMAP server");
        }
        if (greeting.Name == "BYE")
        {
            throw new ImapProtocolException($"{Peer} refused the connection: {greeting.Text}");
        }
        IsAuthenticated = greeting.Name == "PREAUTH";

        if (_options.Security == ImapSecurity.StartTls)
        {
            await UpgradeAsync(ct);
        }
        else if (_capabilities.Count == 0)
        {
            await RunAsync(NewCommand("CAPABILITY"), ct);
        }
    }

    private async Task UpgradeAsync(CancellationToken ct)
    {
        if (IsAuthenticated)
        {
            throw new ImapProtocolException($"{Peer} logged in before STARTTLS (PREAUTH), so the connection cannot be secured; refusing to go on without TLS");
        }
        if (_capabilities.Count == 0)
        {
            await RunAsync(NewCommand("CAPABILITY"), ct);
        }
        if (!_capabilities.Contains("STARTTLS"))
        {
            throw new ImapProtocolException($"{Peer} does not offer STARTTLS; refusing to go on without TLS (implicit TLS is usually on port 993)");
        }
        await RunAsync(NewCommand("STARTTLS"), ct);
        // Anything sent before the handshake would be read as if it had come over TLS: an injection (CVE-2011-0411).
        if (_reader!.HasBufferedData)
        {
            throw new IOException($"{Peer} sent data after agreeing to STARTTLS and before the TLS handshake");
        }
        await StartTlsAsync(ct);
        // What the server said in plain text may have been forged on the way: ask again over TLS.
        _capabilities = new(StringComparer.OrdinalIgnoreCase);
        await RunAsync(NewCommand("CAPABILITY"), ct);
    }

    private async Task StartTlsAsync(CancellationToken ct)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions { TargetHost = _options.Host.Trim('[', ']') };
        if (_options.TrustedCertificate is X509Certificate2 trusted)
        {
            // Pinning: exactly this certificate, and then nothing else about it matters (self-signed, any name).
            byte[] pinned = trusted.RawData;
            auth.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync();
            throw new TimeoutException($"{Peer} did not finish the TLS handshake within {_options.CommandTimeout.TotalSeconds:0} s");
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
        _stream = ssl;
        _reader = new ImapResponseReader(ssl, Peer, _options.MaxLiteralSize);
    }

    private async Task<bool> SignInAsync(ImapCommand command, string mechanism, CancellationToken ct)
    {
        ImapResponse ok = await RunAsync(command, ct, login: true);
        IsAuthenticated = true;
        if (ok.Code != "CAPABILITY")
        {
            // Servers offer more once logged in (IDLE, UIDPLUS...); most say so in the OK, the others are asked.
            await RunAsync(NewCommand("CAPABILITY"), ct);
        }
        LogLoggedIn(_logger, _options.Host, mechanism);
        return true;
    }

    /// <summary>Checks the client is usable and, unless <paramref name="authenticated"/> is null, logged in or not.</summary>
    private void RequireState(bool? authenticated, bool selected = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_unusable)
        {
            throw new InvalidOperationException($"the connection to {Peer} failed earlier or was closed; connect again");
        }
        if (authenticated is bool wanted && IsAuthenticated != wanted)
        {
            throw new InvalidOperationException(wanted ? "log in first" : "already logged in");
        }
        if (selected && Selected is null)
        {
            throw new InvalidOperationException("select a mailbox first");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to IMAP server {Host}:{Port} ({Security}, encrypted {Encrypted})")]
    private static partial void LogConnected(ILogger logger, string host, int port, ImapSecurity security, bool encrypted);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Logged in to IMAP server {Host} with {Mechanism}")]
    private static partial void LogLoggedIn(ILogger logger, string host, string mechanism);
}
