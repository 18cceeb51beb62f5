using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Leadline.Bench;

/// <summary>
/// The <c>mail-setup</c> mode: prepares a private dovecot in one directory for the mail bench, the way the tests'
/// Dovecot fixture does (tests/Leadline.Tests/Infrastructure/Dovecot.cs): IMAP on two free 127.0.0.1 ports (plain
/// with STARTTLS, and implicit TLS), a self-signed certificate made here, one user in a passwd-file with a plain
/// password, its Maildir, and its own base_dir, state and log file. It prints the server's IMAP_* variables and
/// BENCH_MAILDIR as KEY=VALUE lines; bench/run.sh starts <c>dovecot -F -c DIR/dovecot.conf</c> and stops it.
/// <para>
/// As root, dovecot insists on dropping privileges: its helpers run as Debian's dovecot and dovenull users and mail is
/// read as nobody, so the directory is opened up for them. As anyone else, every process runs as that user.
/// </para>
/// </summary>
public static class MailSetup
{
    public const string Usage = """
        Usage: Leadline.Bench mail-setup --dir DIR [--tls starttls|implicit|none]

        Writes a private dovecot's configuration, certificate, user and Maildir into DIR (which must exist and should be
        empty), and prints IMAP_HOST, IMAP_PORT, IMAP_USERNAME, IMAP_PASSWORD, IMAP_TLS, IMAP_TLS_CERT and
        BENCH_MAILDIR as KEY=VALUE lines. Start it with: dovecot -F -c DIR/dovecot.conf

          --dir DIR        The directory to use.
          --tls MODE       What the server is told to use (IMAP_TLS; default starttls). Dovecot offers all three.
        """;

    public const string User = "leads";

    private static readonly bool s_root = Environment.IsPrivilegedProcess;

    public static int Run(IReadOnlyList<string> args)
    {
        string? dir = null;
        string tls = "starttls";
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value.");
            switch (name)
            {
                case "--dir": dir = Path.GetFullPath(Value()); break;
                case "--tls":
                    tls = Value();
                    if (tls is not ("starttls" or "implicit" or "none"))
                    {
                        throw new UsageException("--tls: use starttls, implicit or none.");
                    }
                    break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: throw new UsageException($"Unknown option '{name}'.");
            }
        }
        if (dir is null || !Directory.Exists(dir))
        {
            throw new UsageException("--dir: an existing directory is needed.");
        }

        int plainPort = FreePort();
        int tlsPort = FreePort();
        string password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        string users = Path.Combine(dir, "users");
        string mail = Path.Combine(dir, "mail");
        string maildir = Path.Combine(mail, User);
        foreach (string folder in new[] { users, mail, Path.Combine(dir, "run"), Path.Combine(dir, "state"), maildir,
            Path.Combine(maildir, "tmp"), Path.Combine(maildir, "new"), Path.Combine(maildir, "cur") })
        {
            Directory.CreateDirectory(folder);
        }
        if (s_root && !OperatingSystem.IsWindows())
        {
            // Dovecot's unprivileged processes must reach the passwd-file, and the mail user (nobody) the Maildir.
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            foreach (string folder in new[] { mail, maildir, Path.Combine(maildir, "tmp"), Path.Combine(maildir, "new"), Path.Combine(maildir, "cur") })
            {
                File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
            }
        }
        using X509Certificate2 certificate = NewSelfSignedCertificate(out string keyPem);
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), keyPem);
        File.WriteAllText(Path.Combine(users, User), $"{User}:{{PLAIN}}{password}::::::\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(dir, "dovecot.conf"), Config(dir, plainPort, tlsPort));

        Console.WriteLine("IMAP_HOST=127.0.0.1");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMAP_PORT={(tls == "implicit" ? tlsPort : plainPort)}"));
        Console.WriteLine($"IMAP_USERNAME={User}");
        Console.WriteLine($"IMAP_PASSWORD={password}");
        Console.WriteLine($"IMAP_TLS={tls}");
        if (tls != "none")
        {
            Console.WriteLine($"IMAP_TLS_CERT={Path.Combine(dir, "cert.pem")}");
        }
        Console.WriteLine($"BENCH_MAILDIR={maildir}");
        return 0;
    }

    private static string Config(string dir, int plainPort, int tlsPort)
    {
        // As root: helpers run as Debian's dovecot and dovenull users (the defaults), mail as nobody. As anyone else:
        // everything as the current user, since only root can switch users.
        (string uid, string gid) = s_root ? NobodyIds() : (Id("-u"), Id("-g"));
        string users = s_root ? "" : $"""
            default_internal_user = {Id("-un")}
            default_internal_group = {Id("-gn")}
            default_login_user = {Id("-un")}
            """;
        return $$"""
            base_dir = {{dir}}/run
            state_dir = {{dir}}/state
            log_path = {{dir}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{dir}}/cert.pem
            ssl_key = <{{dir}}/key.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            {{users}}
            first_valid_uid = 1
            mail_location = maildir:{{dir}}/mail/%u
            mail_fsync = never
            # Dovecot learns of new mail through inotify; this is only the fallback where inotify is missing (the
            # default is 30 s). Either way it waits 500 ms after a change before telling an IDLE client, to batch them.
            mailbox_idle_check_interval = 1 secs
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{dir}}/users/%u
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{dir}}/mail/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{plainPort}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{tlsPort}}
                ssl = yes
              }
            }
            service anvil {
              chroot =
            }
            """;
    }

    /// <summary>A new self-signed certificate for localhost and 127.0.0.1, with its private key as PEM.</summary>
    private static X509Certificate2 NewSelfSignedCertificate(out string privateKeyPem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        privateKeyPem = key.ExportPkcs8PrivateKeyPem();
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    private static (string Uid, string Gid) NobodyIds()
    {
        string? line = File.ReadLines("/etc/passwd").FirstOrDefault(l => l.StartsWith("nobody:", StringComparison.Ordinal));
        string[] fields = line?.Split(':') ?? [];
        return fields.Length > 3 ? (fields[2], fields[3]) : ("65534", "65534");
    }

    private static string Id(string flag)
    {
        using var id = Process.Start(new ProcessStartInfo("id", [flag]) { RedirectStandardOutput = true })!;
        string value = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();
        return value;
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
