using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Leadline.Tests.Delivery;

public enum SmtpTls { None, StartTls, Implicit }

/// <summary>One message the server saw to the end of DATA, accepted or refused by a failure rule.</summary>
public sealed record SmtpDelivery(
    string From, IReadOnlyList<string> To, string Data, bool Accepted, bool Tls, string? AuthMechanism, string? AuthUser)
{
    public MailText Mail => MailText.Parse(Data);
}

/// <summary>
/// A real SMTP server on 127.0.0.1 for tests: EHLO/HELO, STARTTLS or implicit TLS with a self-signed certificate
/// made in-process, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. It records
/// what it receives and fails on command, per recipient, so tests sharing it do not disturb each other.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> s_certificate = new(CreateCertificate);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<SmtpDelivery> _received = new();
    private readonly ConcurrentDictionary<string, int> _rcptAttempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Stage, string Rcpt), (int Code, int Times)> _failures = new();
    private readonly SmtpTls _tls;
    private readonly string? _user;
    private readonly string? _password;
    private readonly string[] _mechanisms;
    private readonly bool _ehlo;
    private readonly bool _greet;
    private readonly Task _accepting;

    public TestSmtpServer(
        SmtpTls tls = SmtpTls.None, string? user = null, string? password = null, string[]? mechanisms = null,
        bool ehlo = true, bool greet = true)
    {
        (_tls, _user, _password, _mechanisms, _ehlo, _greet) = (tls, user, password, mechanisms ?? ["PLAIN", "LOGIN"], ehlo, greet);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<SmtpDelivery> Received => [.. _received];

    /// <summary>Messages accepted for <paramref name="recipient"/>.</summary>
    public IReadOnlyList<SmtpDelivery> AcceptedFor(string recipient) =>
        [.. _received.Where(d => d.Accepted && d.To.Contains(recipient, StringComparer.OrdinalIgnoreCase))];

    /// <summary>Messages for <paramref name="recipient"/> that got to the end of DATA, accepted or not.</summary>
    public IReadOnlyList<SmtpDelivery> DataFor(string recipient) =>
        [.. _received.Where(d => d.To.Contains(recipient, StringComparer.OrdinalIgnoreCase))];

    public int RcptAttempts(string recipient) => _rcptAttempts.GetValueOrDefault(recipient);

    /// <summary>Answers RCPT TO for <paramref name="recipient"/> with <paramref name="code"/>, the next <paramref name="times"/> times.</summary>
    public void FailRcpt(string recipient, int code, int times = 1) => _failures[("RCPT", recipient.ToLowerInvariant())] = (code, times);

    /// <summary>Takes the whole message for <paramref name="recipient"/>, then answers the final dot with <paramref name="code"/>.</summary>
    public void FailData(string recipient, int code, int times = 1) => _failures[("DATA", recipient.ToLowerInvariant())] = (code, times);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var connection = new SmtpLineConnection(client.GetStream());
                if (_tls == SmtpTls.Implicit)
                {
                    await connection.StartTlsAsync(s_certificate.Value);
                }
                if (!_greet)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                await connection.WriteAsync("220 test.local ESMTP ready");
                await new SmtpDialogue(this, connection).RunAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or refused our certificate: what was recorded so far stands.
            }
        }
    }

    /// <summary>Returns the failure code for a stage and recipient, counting one use.</summary>
    private int? TakeFailure(string stage, string recipient)
    {
        var key = (stage, recipient.ToLowerInvariant());
        lock (_failures)
        {
            if (_failures.TryGetValue(key, out var rule) && rule.Times > 0)
            {
                _failures[key] = (rule.Code, rule.Times - 1);
                return rule.Code;
            }
        }
        return null;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Round-trip through PKCS#12 so SslStream gets a certificate whose private key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>The server side of one SMTP conversation.</summary>
    private sealed class SmtpDialogue(TestSmtpServer server, SmtpLineConnection connection)
    {
        private string? _from;
        private readonly List<string> _to = [];
        private string? _authMechanism;
        private string? _authUser;

        private bool AuthOffered => server._user is not null && (connection.IsTls || server._tls == SmtpTls.None);

        public async Task RunAsync()
        {
            while (await connection.ReadLineAsync() is string line)
            {
                string verb = line.Split(' ', 2)[0].ToUpperInvariant();
                string argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO" when server._ehlo:
                        var lines = new List<string> { "test.local greets you" };
                        if (server._tls == SmtpTls.StartTls && !connection.IsTls) lines.Add("STARTTLS");
                        if (AuthOffered) lines.Add("AUTH " + string.Join(' ', server._mechanisms));
                        lines.Add("8BITMIME");
                        await connection.WriteAsync(string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l)));
                        break;
                    case "HELO":
                        await connection.WriteAsync("250 test.local");
                        break;
                    case "STARTTLS" when server._tls == SmtpTls.StartTls && !connection.IsTls:
                        await connection.WriteAsync("220 2.0.0 Ready to start TLS");
                        await connection.StartTlsAsync(s_certificate.Value);
                        (_from, _authMechanism, _authUser) = (null, null, null);
                        _to.Clear();
                        break;
                    case "AUTH" when AuthOffered:
                        await AuthenticateAsync(argument);
                        break;
                    case "MAIL" when server._user is not null && _authUser is null:
                        await connection.WriteAsync("530 5.7.0 Authentication required");
                        break;
                    case "MAIL":
                        _from = Address(argument);
                        _to.Clear();
                        await connection.WriteAsync("250 2.1.0 Ok");
                        break;
                    case "RCPT" when _from is null:
                        await connection.WriteAsync("503 5.5.1 MAIL first");
                        break;
                    case "RCPT":
                        string rcpt = Address(argument);
                        server._rcptAttempts.AddOrUpdate(rcpt, 1, (_, n) => n + 1);
                        if (server.TakeFailure("RCPT", rcpt) is int rcptCode)
                        {
                            await connection.WriteAsync($"{rcptCode} {(rcptCode >= 500 ? "5.1.1" : "4.2.0")} <{rcpt}>: Recipient address rejected");
                            break;
                        }
                        _to.Add(rcpt);
                        await connection.WriteAsync("250 2.1.5 Ok");
                        break;
                    case "DATA" when _to.Count == 0:
                        await connection.WriteAsync("503 5.5.1 RCPT first");
                        break;
                    case "DATA":
                        await ReceiveDataAsync();
                        break;
                    case "RSET":
                        _from = null;
                        _to.Clear();
                        await connection.WriteAsync("250 2.0.0 Ok");
                        break;
                    case "NOOP":
                        await connection.WriteAsync("250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        await connection.WriteAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await connection.WriteAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }

        private async Task AuthenticateAsync(string argument)
        {
            string[] parts = argument.Split(' ', 2);
            string mechanism = parts[0].ToUpperInvariant();
            string? user = null;
            string? password = null;
            if (mechanism == "PLAIN" && server._mechanisms.Contains("PLAIN"))
            {
                string token = parts.Length > 1 ? parts[1] : await ChallengeAsync("");
                string[] fields = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\0');
                (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : (null, null);
            }
            else if (mechanism == "LOGIN" && server._mechanisms.Contains("LOGIN"))
            {
                user = Decode(await ChallengeAsync("VXNlcm5hbWU6"));
                password = Decode(await ChallengeAsync("UGFzc3dvcmQ6"));
            }
            else
            {
                await connection.WriteAsync("504 5.5.4 Unrecognized authentication type");
                return;
            }
            if (user == server._user && password == server._password)
            {
                (_authMechanism, _authUser) = (mechanism, user);
                await connection.WriteAsync("235 2.7.0 Authentication successful");
            }
            else
            {
                await connection.WriteAsync("535 5.7.8 Authentication credentials invalid");
            }
        }

        private async Task<string> ChallengeAsync(string challenge)
        {
            await connection.WriteAsync("334 " + challenge);
            return await connection.ReadLineAsync() ?? throw new IOException("client left during AUTH");
        }

        private async Task ReceiveDataAsync()
        {
            await connection.WriteAsync("354 End data with <CR><LF>.<CR><LF>");
            var data = new StringBuilder();
            while (await connection.ReadLineAsync() is string line && line != ".")
            {
                data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
            }
            int? code = _to.Select(r => server.TakeFailure("DATA", r)).FirstOrDefault(c => c is not null);
            server._received.Enqueue(new SmtpDelivery(_from!, [.. _to], data.ToString(), code is null, connection.IsTls, _authMechanism, _authUser));
            await connection.WriteAsync(code is int c
                ? $"{c} {(c >= 500 ? "5.6.0 Message refused" : "4.3.0 Try again later")}"
                : $"250 2.0.0 Ok: queued as {Guid.NewGuid():N}");
            _from = null;
            _to.Clear();
        }

        private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

        private static string Address(string argument)
        {
            int open = argument.IndexOf('<');
            int close = argument.IndexOf('>', open + 1);
            return open >= 0 && close > open ? argument[(open + 1)..close] : argument.Split(':', 2).Last().Trim();
        }
    }
}
