using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Leadline.Testing;

/// <summary>
/// A private Debian dovecot in one directory: its configuration file, self-signed certificate, passwd-file users and
/// Maildirs, base_dir, state and log file. Used by the tests' Dovecot fixture and by the mail bench (this file is
/// compiled into both), so that both measure and test the same server.
/// <para>
/// As root, dovecot insists on dropping privileges: its helpers run as the users the Debian package creates (dovecot,
/// dovenull) and mail is read as nobody, since dovecot refuses uid 0 for mail; the directory is opened up for them. As
/// anyone else, every process runs as that user.
/// </para>
/// </summary>
public sealed class DovecotSetup
{
    /// <summary>The capabilities dovecot 2.3 offers after login, without IDLE: a server that can only be polled.</summary>
    public const string CapabilitiesWithoutIdle = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE UNSELECT";

    private static readonly bool s_root = Environment.IsPrivilegedProcess;

    private DovecotSetup(string dir, int port, int tlsPort, X509Certificate2 certificate)
    {
        Dir = dir;
        Port = port;
        TlsPort = tlsPort;
        Certificate = certificate;
    }

    public string Dir { get; }

    /// <summary>The plain IMAP port, which offers STARTTLS.</summary>
    public int Port { get; }

    /// <summary>The implicit-TLS IMAP port.</summary>
    public int TlsPort { get; }

    /// <summary>The server's self-signed certificate (CN=localhost, IP 127.0.0.1), for clients to pin.</summary>
    public X509Certificate2 Certificate { get; }

    public string ConfigFile => Path.Combine(Dir, "dovecot.conf");

    public string CertificateFile => Path.Combine(Dir, "cert.pem");

    public string LogFile => Path.Combine(Dir, "dovecot.log");

    public string UsersDir => Path.Combine(Dir, "users");

    public string MailRoot => Path.Combine(Dir, "mail");

    /// <summary>
    /// Writes a server into the existing directory <paramref name="dir"/>, listening on two free loopback ports.
    /// Without <paramref name="idle"/>, the server does not offer IDLE after login (it still understands it), like
    /// the servers that must be polled.
    /// </summary>
    public static DovecotSetup Create(string dir, bool idle = true)
    {
        var setup = new DovecotSetup(dir, FreePort(), FreePort(), NewSelfSignedCertificate(out string keyPem));
        foreach (string folder in new[] { setup.UsersDir, setup.MailRoot, Path.Combine(dir, "run"), Path.Combine(dir, "state") })
        {
            Directory.CreateDirectory(folder);
        }
        if (s_root)
        {
            // Dovecot's unprivileged processes must reach the passwd-file, and the mail user the Maildirs.
            Chmod(dir, (UnixFileMode)0b111_101_101);
            Chmod(setup.MailRoot, (UnixFileMode)0b111_111_111);
        }
        File.WriteAllText(setup.CertificateFile, setup.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), keyPem);
        File.WriteAllText(setup.ConfigFile, setup.Config(idle));
        return setup;
    }

    /// <summary>
    /// Adds the user <paramref name="name"/> in a passwd-file of its own (dovecot looks at a changed passwd-file at most
    /// once a second, so a user appended to a shared one could be unknown for that second), with an empty INBOX.
    /// Without <paramref name="keywords"/>, an ACL lets the user set only \Seen: the mailbox cannot keep keywords,
    /// and says so in PERMANENTFLAGS, like servers that store no custom flags.
    /// </summary>
    public void AddUser(string name, string password, bool keywords = true)
    {
        if (password.Contains(':') || password.Contains('\n') || name.Contains(':') || name.Contains('/'))
        {
            throw new ArgumentException("a passwd-file user or password cannot hold ':', '/' or a line break");
        }
        File.WriteAllText(Path.Combine(UsersDir, name), $"{name}:{{PLAIN}}{password}::::::\n", new UTF8Encoding(false));
        string maildir = Maildir(name);
        foreach (string folder in new[] { maildir, Path.Combine(maildir, "tmp"), Path.Combine(maildir, "new"), Path.Combine(maildir, "cur") })
        {
            Directory.CreateDirectory(folder);
            if (s_root)
            {
                Chmod(folder, (UnixFileMode)0b111_111_111);
            }
        }
        if (!keywords)
        {
            // INBOX's ACL file (the Maildir's root): the owner may look up, read and set \Seen (l r s), nothing else.
            string acl = Path.Combine(maildir, "dovecot-acl");
            File.WriteAllText(acl, "owner lrs\n");
            if (s_root)
            {
                Chmod(acl, (UnixFileMode)0b110_110_110);
            }
        }
    }

    /// <summary>The user's INBOX, a Maildir.</summary>
    public string Maildir(string user) => Path.Combine(MailRoot, user);

    private string Config(bool idle)
    {
        (string uid, string gid) = s_root ? NobodyIds() : (Id("-u"), Id("-g"));
        string users = s_root ? "" : $"""
            default_internal_user = {Id("-un")}
            default_internal_group = {Id("-gn")}
            default_login_user = {Id("-un")}
            """;
        string capability = idle ? "" : $"imap_capability = {CapabilitiesWithoutIdle}";
        return $$"""
            base_dir = {{Dir}}/run
            state_dir = {{Dir}}/state
            log_path = {{LogFile}}
            protocols = imap
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{CertificateFile}}
            ssl_key = <{{Dir}}/key.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            # Refused logins are answered at once instead of after the usual two seconds.
            auth_failure_delay = 0
            {{users}}
            first_valid_uid = 1
            mail_location = maildir:{{MailRoot}}/%u
            mail_fsync = never
            # Dovecot learns of new mail through inotify; this is only the fallback where inotify is missing (the
            # default is 30 s). Either way it waits 500 ms after a change before telling an IDLE client, to batch them.
            mailbox_idle_check_interval = 1 secs
            # ACLs only where a Maildir holds a dovecot-acl file (users made without keywords).
            mail_plugins = $mail_plugins acl
            plugin {
              acl = vfile
            }
            {{capability}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{UsersDir}}/%u
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{MailRoot}}/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{TlsPort}}
                ssl = yes
              }
            }
            service anvil {
              chroot =
            }
            protocol imap {
              mail_max_userip_connections = 100
            }

            """;
    }

    /// <summary>A new self-signed certificate for localhost and 127.0.0.1, with its private key as PEM.</summary>
    public static X509Certificate2 NewSelfSignedCertificate(out string privateKeyPem)
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
