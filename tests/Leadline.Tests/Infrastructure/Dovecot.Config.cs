using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Leadline.Tests.Infrastructure;

/// <summary>The private dovecot's configuration file, the users it runs as, and its certificate.</summary>
public sealed partial class Dovecot
{
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

    private string Config()
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
            base_dir = {{_dir}}/run
            state_dir = {{_dir}}/state
            log_path = {{LogFile}}
            protocols = imap
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{_dir}}/cert.pem
            ssl_key = <{{_dir}}/key.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            # Refused logins are answered at once instead of after the usual two seconds.
            auth_failure_delay = 0
            {{users}}
            first_valid_uid = 1
            mail_location = maildir:{{MailRoot}}/%u
            mail_fsync = never
            # Without inotify (some containers) new mail is still seen within a second during IDLE.
            mailbox_idle_check_interval = 1 secs
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
}
