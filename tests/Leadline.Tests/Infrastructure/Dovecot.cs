using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Leadline.Testing;

namespace Leadline.Tests.Infrastructure;

/// <summary>A test user of a <see cref="Dovecot"/>; the password is kept in plain text, as tests need it.</summary>
public sealed record DovecotUser(string Name, string Password);

/// <summary>
/// A private Debian dovecot (<c>dovecot -F -c config</c>) for tests, set up by <see cref="DovecotSetup"/> in a
/// temporary directory that is removed afterwards: IMAP on two free 127.0.0.1 ports (plain with STARTTLS, and
/// implicit TLS), a self-signed certificate, users with plain passwords and Maildirs. It never touches the system's
/// dovecot.
/// </summary>
public sealed class Dovecot : IAsyncLifetime
{
    public const string Variable = "LEADLINE_TEST_DOVECOT";
    public const string DefaultExecutable = "/usr/sbin/dovecot";

    private readonly DovecotSetup _setup;
    private readonly ConcurrentQueue<string> _output = new();
    private int _deliveries;
    private int _users;
    private Process? _process;

    public Dovecot()
        : this(idle: true)
    {
    }

    private Dovecot(bool idle)
    {
        _setup = DovecotSetup.Create(Directory.CreateTempSubdirectory("leadline-dovecot.").FullName, idle);
    }

    /// <summary>A server that does not offer IDLE, so that it can only be polled (not started yet).</summary>
    public static Dovecot WithoutIdle() => new(idle: false);

    /// <summary>The dovecot to run: LEADLINE_TEST_DOVECOT, else Debian's when installed, else null (tests skip).</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
        ? path
        : File.Exists(DefaultExecutable) ? DefaultExecutable : null;

    /// <summary>The plain IMAP port, which offers STARTTLS.</summary>
    public int Port => _setup.Port;

    /// <summary>The implicit-TLS IMAP port.</summary>
    public int TlsPort => _setup.TlsPort;

    /// <summary>The server's self-signed certificate (CN=localhost, IP 127.0.0.1), for clients to pin.</summary>
    public X509Certificate2 Certificate => _setup.Certificate;

    public string LogFile => _setup.LogFile;

    private string ConfigFile => _setup.ConfigFile;

    /// <summary>
    /// Adds a user with a fresh name and an empty INBOX. Without <paramref name="keywords"/> the mailbox cannot keep
    /// custom keywords (only \Seen may be set), like servers that store no custom flags.
    /// </summary>
    public DovecotUser CreateUser(string password = "secret-Pa55", bool keywords = true)
    {
        var user = new DovecotUser($"user{Interlocked.Increment(ref _users)}-{Guid.NewGuid().ToString("N")[..8]}", password);
        _setup.AddUser(user.Name, password, keywords);
        return user;
    }

    /// <summary>
    /// Delivers <paramref name="raw"/> to the user's INBOX the way an MTA does with a Maildir: written in tmp/, then
    /// renamed into new/ in one step, where dovecot finds it (and tells an IDLE client).
    /// </summary>
    public async Task DeliverAsync(DovecotUser user, byte[] raw)
    {
        string maildir = _setup.Maildir(user.Name);
        string name = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{DateTime.UtcNow.Ticks / 10 % 1_000_000}P{Environment.ProcessId}Q{Interlocked.Increment(ref _deliveries)}.leadline-test");
        string temporary = Path.Combine(maildir, "tmp", name);
        await File.WriteAllBytesAsync(temporary, raw);
        File.Move(temporary, Path.Combine(maildir, "new", name));
    }

    /// <summary>Starts dovecot, unless it is not installed: then every test that needs it is skipped anyway.</summary>
    public Task InitializeAsync() => Executable is null ? Task.CompletedTask : StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_setup.Dir, recursive: true);
    }

    /// <summary>Starts dovecot and waits until it greets with its capabilities (its auth process is up).</summary>
    public async Task StartAsync()
    {
        string executable = Executable ?? throw new InvalidOperationException($"dovecot is not installed and {Variable} is not set");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"{Variable} points at {executable}, which does not exist; ./test.sh installs dovecot-imapd");
        }
        var info = new ProcessStartInfo(executable, ["-F", "-c", ConfigFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _setup.Dir,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dovecot exited with code {_process.ExitCode} during start-up:\n{Diagnostics()}");
            }
            if (await GreetsAsync())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"dovecot did not greet within 30 s:\n{Diagnostics()}");
    }

    /// <summary>Stops dovecot the way an administrator does (SIGTERM through <c>dovecot stop</c>); clients are cut off.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }
        using (var stop = Process.Start(new ProcessStartInfo(Executable!, ["-c", ConfigFile, "stop"]) { RedirectStandardError = true }))
        {
            await stop!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Whether dovecot answers on the plain port with its real greeting, the one that lists capabilities.</summary>
    private async Task<bool> GreetsAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
            // Until its auth process is up, dovecot first says "* OK Waiting for authentication process to respond..".
            for (int i = 0; i < 2; i++)
            {
                string? line = await reader.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    return false;
                }
                if (line.Contains("[CAPABILITY", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private string Diagnostics() =>
        string.Join('\n', _output) + "\n" + (File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log file)");

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 200)
        {
            _output.Enqueue(line);
        }
    }
}

/// <summary>A test that needs dovecot: skipped, with the reason, when it is not installed (./test.sh installs it).</summary>
public sealed class DovecotFactAttribute : FactAttribute
{
    public DovecotFactAttribute()
    {
        if (Dovecot.Executable is null)
        {
            Skip = $"dovecot is not installed at {Dovecot.DefaultExecutable} and {Dovecot.Variable} is not set: ./test.sh installs Debian's dovecot-imapd";
        }
    }
}
