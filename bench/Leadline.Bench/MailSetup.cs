using System.Globalization;
using System.Security.Cryptography;
using Leadline.Testing;

namespace Leadline.Bench;

/// <summary>
/// The <c>mail-setup</c> mode: prepares a private dovecot in one directory for the mail bench with
/// <see cref="DovecotSetup"/>, the same setup the tests' Dovecot fixture uses (IMAP on two free 127.0.0.1 ports, a
/// self-signed certificate, one user with a plain password and its Maildir). It prints the server's IMAP_* variables
/// and BENCH_MAILDIR as KEY=VALUE lines; bench/run.sh starts <c>dovecot -F -c DIR/dovecot.conf</c> and stops it.
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

        DovecotSetup setup = DovecotSetup.Create(dir);
        string password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        setup.AddUser(User, password);

        Console.WriteLine("IMAP_HOST=127.0.0.1");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMAP_PORT={(tls == "implicit" ? setup.TlsPort : setup.Port)}"));
        Console.WriteLine($"IMAP_USERNAME={User}");
        Console.WriteLine($"IMAP_PASSWORD={password}");
        Console.WriteLine($"IMAP_TLS={tls}");
        if (tls != "none")
        {
            Console.WriteLine($"IMAP_TLS_CERT={setup.CertificateFile}");
        }
        Console.WriteLine($"BENCH_MAILDIR={setup.Maildir(User)}");
        return 0;
    }
}
