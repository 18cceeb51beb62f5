using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Leadline.Mail.Imap;

namespace Leadline.Tests.Infrastructure;

/// <summary>A test user of a <see cref="Dovecot"/>; the password is kept in plain text, as tests need it.</summary>
public sealed record DovecotUser(string Name, string Password);

/// <summary>
/// A private Debian dovecot (<c>dovecot -F -c config</c>) for tests: IMAP on two free 127.0.0.1 ports, one plain
/// with STARTTLS and one with implicit TLS, a self-signed certificate made here, users in passwd-files with plain
/// passwords, Maildirs, and its own base_dir, state and log file, all under one temporary directory that is removed
/// afterwards. It never touches the system's dovecot.
/// <para>
/// As a normal user, every dovecot process runs as that user. As root (CI), dovecot insists on dropping
/// privileges: its helper processes run as the users the Debian package creates (dovecot, dovenull), and mail
/// is read as nobody, since dovecot refuses uid 0 for mail; the test directory is opened up for them.
/// </para>
/// </summary>
public sealed partial class Dovecot : IAsyncLifetime
{
    public const string Variable = "LEADLINE_TEST_DOVECOT";
    public const string DefaultExecutable = "/usr/sbin/dovecot";

    private static readonly bool s_root = Environment.IsPrivilegedProcess;

    private readonly string _dir = Directory.CreateTempSubdirectory("leadline-dovecot.").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private int _deliveries;
    private int _users;
    private Process? _process;

    public Dovecot()
    {
        Port = FreePort();
        TlsPort = FreePort();
        Certificate = NewSelfSignedCertificate(out string keyPem);
        File.WriteAllText(Path.Combine(_dir, "cert.pem"), Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "key.pem"), keyPem);
        Directory.CreateDirectory(UsersDir);
        Directory.CreateDirectory(MailRoot);
        Directory.CreateDirectory(Path.Combine(_dir, "run"));
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        if (s_root)
        {
            // Dovecot's unprivileged processes must reach the passwd-file, and the mail user the Maildirs.
            Chmod(_dir, (UnixFileMode)0b111_101_101);
            Chmod(MailRoot, (UnixFileMode)0b111_111_111);
        }
        File.WriteAllText(ConfigFile, Config());
    }

    /// <summary>The dovecot to run: LEADLINE_TEST_DOVECOT, else Debian's when installed, else null (tests skip).</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
        ? path
        : File.Exists(DefaultExecutable) ? DefaultExecutable : null;

    /// <summary>The plain IMAP port, which offers STARTTLS.</summary>
    public int Port { get; }

    /// <summary>The implicit-TLS IMAP port.</summary>
    public int TlsPort { get; }

    /// <summary>The server's self-signed certificate (CN=localhost, IP 127.0.0.1), for clients to pin.</summary>
    public X509Certificate2 Certificate { get; }

    public string LogFile => Path.Combine(_dir, "dovecot.log");

    private string ConfigFile => Path.Combine(_dir, "dovecot.conf");

    private string UsersDir => Path.Combine(_dir, "users");

    private string MailRoot => Path.Combine(_dir, "mail");

    /// <summary>Options to reach this server with <paramref name="security"/>, trusting exactly its certificate.</summary>
    public ImapOptions Options(ImapSecurity security) => new()
    {
        Host = "127.0.0.1",
        Port = security == ImapSecurity.Implicit ? TlsPort : Port,
        Security = security,
        TrustedCertificate = Certificate,
        CommandTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Adds a user with a fresh name, in a passwd-file of its own: dovecot looks at a changed passwd-file at most once a
    /// second, so a user appended to a shared one could be unknown for that second.
    /// </summary>
    public DovecotUser CreateUser(string password = "secret-Pa55")
    {
        if (password.Contains(':') || password.Contains('\n'))
        {
            throw new ArgumentException("a passwd-file password cannot hold ':' or a line break", nameof(password));
        }
        var user = new DovecotUser($"user{Interlocked.Increment(ref _users)}-{Guid.NewGuid().ToString("N")[..8]}", password);
        File.WriteAllText(Path.Combine(UsersDir, user.Name), $"{user.Name}:{{PLAIN}}{password}::::::\n", new UTF8Encoding(false));
        return user;
    }

    /// <summary>
    /// Delivers <paramref name="raw"/> to the user's INBOX the way an MTA does with a Maildir: written in tmp/, then
    /// renamed into new/ in one step, where dovecot finds it (and tells an IDLE client).
    /// </summary>
    public async Task DeliverAsync(DovecotUser user, byte[] raw)
    {
        string maildir = Path.Combine(MailRoot, user.Name);
        foreach (string folder in new[] { maildir, Path.Combine(maildir, "tmp"), Path.Combine(maildir, "new"), Path.Combine(maildir, "cur") })
        {
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                if (s_root)
                {
                    Chmod(folder, (UnixFileMode)0b111_111_111);
                }
            }
        }
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
        Directory.Delete(_dir, recursive: true);
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
            WorkingDirectory = _dir,
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

    private static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
