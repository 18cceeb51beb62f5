using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Mail;

/// <summary>
/// E-mail intake: the default tenant's mailbox (IMAP_*), how mailboxes are read (POLLER_*), the default tenant's
/// SendGrid Inbound Parse secret, our own sender address (EMAIL_FROM, never answered) and PUBLIC_BASE_URL for the
/// inbound-parse URL shown to owners.
/// </summary>
public sealed record MailOptions
{
    /// <summary>The default tenant's mailbox; null when IMAP_HOST is unset.</summary>
    public MailboxSettings? Imap { get; init; }

    /// <summary>
    /// The certificate the instance's IMAP server must present (IMAP_TLS_CERT, a PEM file), for a self-hosted server
    /// with a self-signed one; null checks it against the system's trusted roots and IMAP_HOST, as usual.
    /// </summary>
    public X509Certificate2? ImapTlsCertificate { get; init; }

    /// <summary>Whether this instance reads mailboxes (only where jobs run: roles all and worker).</summary>
    public bool PollerEnabled { get; init; } = true;

    /// <summary>How often a mailbox whose server has no IDLE is searched for new mail.</summary>
    public TimeSpan PollerInterval { get; init; } = TimeSpan.FromSeconds(30);

    public string? SendGridInboundSecret { get; init; }

    /// <summary>The key ring that encrypts mailbox passwords (DATA_PROTECTION_KEYS_DIR, shared with tenants' credentials).</summary>
    public string KeysDirectory { get; init; } = "";
    public string EmailFrom { get; init; } = Settings.DefaultEmailFrom;
    public Uri? PublicBaseUrl { get; init; }

    public static MailOptions From(IConfiguration config) => new()
    {
        Imap = ImapFrom(config),
        ImapTlsCertificate = config.Text("IMAP_TLS_CERT") is { } certificate ? PinnedCertificate(certificate) : null,
        PollerEnabled = config.Bool("POLLER_ENABLED", true),
        PollerInterval = config.Seconds("POLLER_INTERVAL_SECONDS", 30, 1, 3600),
        SendGridInboundSecret = config.Text("SENDGRID_INBOUND_SECRET") is { } inbound
            ? inbound.Length >= 16 && inbound.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? inbound
                : throw new ConfigException("SENDGRID_INBOUND_SECRET", "must be at least 16 letters, digits, '-' or '_' (it is part of a URL)")
            : null,
        EmailFrom = config.Email("EMAIL_FROM") ?? Settings.DefaultEmailFrom,
        PublicBaseUrl = config.HttpUrl("PUBLIC_BASE_URL"),
        KeysDirectory = TenantsOptions.KeysDirectoryFrom(config),
    };

    /// <summary>IMAP_HOST and its companions; IMAP_USERNAME and IMAP_PASSWORD are required with IMAP_HOST.</summary>
    private static MailboxSettings? ImapFrom(IConfiguration config)
    {
        if (config.Text("IMAP_HOST") is not { } host)
        {
            return null;
        }
        string? tls = config.OneOf("IMAP_TLS", "implicit", "starttls", "none");
        int port = config.Int("IMAP_PORT", tls is "starttls" or "none" ? 143 : 993, 1, 65535);
        var mailbox = new MailboxSettings(
            host,
            port,
            config.Text("IMAP_USERNAME") ?? throw new ConfigException("IMAP_USERNAME", "must be set with IMAP_HOST (the mailbox's login, often the address)"),
            config.Text("IMAP_PASSWORD") ?? throw new ConfigException("IMAP_PASSWORD", "must be set with IMAP_HOST (for Gmail, an app password)"),
            tls ?? (port == 993 ? "implicit" : "starttls"),
            config.Text("IMAP_FOLDER") ?? "INBOX");
        if (mailbox.Validate().FirstOrDefault() is { Key: { } field, Value: [var message, ..] })
        {
            throw new ConfigException("IMAP_" + field.ToUpperInvariant(), message);
        }
        return mailbox;
    }

    private static X509Certificate2 PinnedCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigException("IMAP_TLS_CERT", $"'{path}' is not a readable PEM certificate: {e.Message}");
        }
    }
}
