using System.Globalization;
using System.Net.Mail;
using Leadline.Data;

namespace Leadline.Hosting;

/// <summary>
/// Every setting, read from environment variables (and .env) with the seed documents' names.
/// <see cref="Load"/> validates them all and throws a <see cref="ConfigException"/> naming the first bad one.
/// </summary>
public sealed record LeadlineOptions
{
    public int Port { get; init; } = 8000;
    public string Host { get; init; } = "127.0.0.1";
    public DbUrl Database { get; init; } = DbUrl.Parse(null);
    public string? AdminBearerToken { get; init; }
    public int DedupeWindowMinutes { get; init; } = 10;
    public Uri? PublicBaseUrl { get; init; }
    public string? BookingLink { get; init; }
    public string? OwnerAlertEmail { get; init; }

    /// <summary>
    /// Who hears about instance-wide trouble such as a tenant reaching its hourly outbound cap (OPERATOR_ALERT_EMAIL);
    /// without it, OWNER_ALERT_EMAIL does (in the single-business setup the owner is the operator).
    /// </summary>
    public string? OperatorAlertEmail { get; init; }
    public string EmailFrom { get; init; } = "leads@leadline.localhost";
    public Uri? SmtpUrl { get; init; }
    public string? SendGridApiKey { get; init; }
    public Uri SendGridBaseUrl { get; init; } = new("https://api.sendgrid.com");
    public string LogLevel { get; init; } = "Information";
    public int Workers { get; init; } = 16;

    /// <summary><c>all</c> (default) serves HTTP and runs jobs; <c>api</c> only serves; <c>worker</c> only runs jobs.</summary>
    public string Role { get; init; } = "all";
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan JobLease { get; init; } = TimeSpan.FromSeconds(60);
    public string? OpenAiApiKey { get; init; }
    /// <summary>Any OpenAI-compatible server: OpenAI itself, Ollama (http://127.0.0.1:11434/v1), vLLM, llama.cpp server.</summary>
    public Uri? OpenAiBaseUrl { get; init; }
    public string OpenAiModel { get; init; } = "gpt-4o-mini";
    public string? AnthropicApiKey { get; init; }
    public Uri? AnthropicBaseUrl { get; init; }
    public string AnthropicModel { get; init; } = "claude-haiku-4-5";
    /// <summary>The engine of tenants that chose none: offline, openai or anthropic (default: a provider with a key, else offline).</summary>
    public string? LlmProvider { get; init; }
    public TimeSpan LlmTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The Twilio account of tenants without their own (TWILIO_ACCOUNT_SID, AC + 32 hex digits).</summary>
    public string? TwilioAccountSid { get; init; }
    public string? TwilioAuthToken { get; init; }

    /// <summary>The E.164 number SMS replies come from (TWILIO_FROM_NUMBER).</summary>
    public string? TwilioFromNumber { get; init; }

    /// <summary>The WhatsApp sender (TWILIO_WHATSAPP_FROM, E.164; default TWILIO_FROM_NUMBER).</summary>
    public string? TwilioWhatsAppFrom { get; init; }
    public Uri TwilioApiBaseUrl { get; init; } = new("https://api.twilio.com");

    /// <summary>
    /// The Data Protection key ring that encrypts tenants' provider credentials (DATA_PROTECTION_KEYS_DIR; default
    /// <c>keys</c> next to the SQLite file, or <c>data/keys</c> with PostgreSQL). It is kept apart from the database
    /// so that a copy of the database alone does not reveal the credentials; every instance needs the same directory.
    /// </summary>
    public string DataProtectionKeysDir { get; init; } = Path.GetFullPath(Path.Combine("data", "keys"));

    /// <summary>The owner's phone for SMS alerts (OWNER_ALERT_SMS_TO, E.164).</summary>
    public string? OwnerAlertSmsTo { get; init; }

    /// <summary>The owner's quiet hours for SMS alerts (QUIET_HOURS, e.g. 22:00-07:00), in the tenant's time zone.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>The default tenant's mailbox (IMAP_HOST and the other IMAP_* variables); null when IMAP_HOST is unset.</summary>
    public Mail.MailboxSettings? Imap { get; init; }

    /// <summary>
    /// The certificate the instance's IMAP server must present (IMAP_TLS_CERT, a PEM file), for a self-hosted server
    /// with a self-signed one; null checks it against the system's trusted roots and IMAP_HOST, as usual.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ImapTlsCertificate { get; init; }

    /// <summary>Whether this instance reads mailboxes (POLLER_ENABLED; only where jobs run: roles all and worker).</summary>
    public bool PollerEnabled { get; init; } = true;

    /// <summary>How often a mailbox whose server has no IDLE is searched for new mail (POLLER_INTERVAL_SECONDS).</summary>
    public TimeSpan PollerInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The secret in the default tenant's SendGrid Inbound Parse URL (SENDGRID_INBOUND_SECRET).</summary>
    public string? SendGridInboundSecret { get; init; }

    public static LeadlineOptions Load(IConfiguration config)
    {
        string? Get(string name) => config[name] is { Length: > 0 } v ? v.Trim() : null;

        DbUrl database = DbUrl.Parse(Get("DB_URL"));
        var options = new LeadlineOptions
        {
            Port = Int(Get("PORT"), "PORT", 8000, 1, 65535),
            Host = Get("HOST") ?? "127.0.0.1",
            Database = database,
            AdminBearerToken = Get("ADMIN_BEARER_TOKEN"),
            DedupeWindowMinutes = Int(Get("DEDUPE_WINDOW_MIN"), "DEDUPE_WINDOW_MIN", 10, 0, 7 * 24 * 60),
            PublicBaseUrl = HttpUrl(Get("PUBLIC_BASE_URL"), "PUBLIC_BASE_URL"),
            BookingLink = HttpUrl(Get("BOOKING_LINK"), "BOOKING_LINK")?.ToString(),
            OwnerAlertEmail = Email(Get("OWNER_ALERT_EMAIL"), "OWNER_ALERT_EMAIL"),
            OperatorAlertEmail = Email(Get("OPERATOR_ALERT_EMAIL"), "OPERATOR_ALERT_EMAIL"),
            EmailFrom = Email(Get("EMAIL_FROM"), "EMAIL_FROM") ?? "leads@leadline.localhost",
            SmtpUrl = Smtp(Get("SMTP_URL")),
            SendGridApiKey = Get("SENDGRID_API_KEY"),
            SendGridBaseUrl = HttpUrl(Get("SENDGRID_BASE_URL"), "SENDGRID_BASE_URL") ?? new Uri("https://api.sendgrid.com"),
            LogLevel = Level(Get("LOG_LEVEL")),
            // A model call holds its worker for the model's whole latency (about a second), so with a model configured
            // more jobs run at once by default: 16 workers answer at most ~20 leads a second (docs/benchmarks.md).
            Workers = Int(Get("WORKERS"), "WORKERS",
                (Get("OPENAI_API_KEY") ?? Get("OPENAI_BASE_URL") ?? Get("ANTHROPIC_API_KEY")) is null ? 16 : 64, 1, 256),
            Role = Get("ROLE")?.ToLowerInvariant() is { } role
                ? role is "all" or "api" or "worker" ? role : throw new ConfigException("ROLE", $"'{role}' is not one of all, api, worker")
                : "all",
            PollInterval = TimeSpan.FromMilliseconds(Int(Get("JOB_POLL_MS"), "JOB_POLL_MS", 2000, 10, 600_000)),
            JobLease = TimeSpan.FromSeconds(Int(Get("JOB_LEASE_SECONDS"), "JOB_LEASE_SECONDS", 60, 1, 3600)),
            OpenAiApiKey = Get("OPENAI_API_KEY"),
            OpenAiBaseUrl = HttpUrl(Get("OPENAI_BASE_URL"), "OPENAI_BASE_URL"),
            OpenAiModel = Get("OPENAI_MODEL") ?? "gpt-4o-mini",
            AnthropicApiKey = Get("ANTHROPIC_API_KEY"),
            AnthropicBaseUrl = HttpUrl(Get("ANTHROPIC_BASE_URL"), "ANTHROPIC_BASE_URL"),
            AnthropicModel = Get("ANTHROPIC_MODEL") ?? "claude-haiku-4-5",
            LlmProvider = Get("LLM_PROVIDER")?.ToLowerInvariant() is { } provider
                ? Replies.Llm.LlmProviders.All.Contains(provider) ? provider
                    : throw new ConfigException("LLM_PROVIDER", $"'{provider}' is not one of {string.Join(", ", Replies.Llm.LlmProviders.All)}")
                : null,
            LlmTimeout = TimeSpan.FromMilliseconds(Int(Get("LLM_TIMEOUT_MS"), "LLM_TIMEOUT_MS", 8000, 100, 120_000)),
            TwilioAccountSid = Get("TWILIO_ACCOUNT_SID") is { } sid
                ? System.Text.RegularExpressions.Regex.IsMatch(sid, "^AC[0-9a-fA-F]{32}$") ? sid
                    : throw new ConfigException("TWILIO_ACCOUNT_SID", "is not a Twilio account SID ('AC' and 32 hex digits)")
                : null,
            TwilioAuthToken = Get("TWILIO_AUTH_TOKEN"),
            TwilioFromNumber = Phone(Get("TWILIO_FROM_NUMBER"), "TWILIO_FROM_NUMBER"),
            TwilioWhatsAppFrom = Phone(Get("TWILIO_WHATSAPP_FROM"), "TWILIO_WHATSAPP_FROM"),
            TwilioApiBaseUrl = HttpUrl(Get("TWILIO_API_BASE_URL"), "TWILIO_API_BASE_URL") ?? new Uri("https://api.twilio.com"),
            DataProtectionKeysDir = KeysDirectory(Get("DATA_PROTECTION_KEYS_DIR"), database),
            OwnerAlertSmsTo = Phone(Get("OWNER_ALERT_SMS_TO"), "OWNER_ALERT_SMS_TO"),
            QuietHours = Get("QUIET_HOURS") is { } quiet
                ? Hosting.QuietHours.TryParse(quiet, out QuietHours? hours) ? hours
                    : throw new ConfigException("QUIET_HOURS", $"'{quiet}' is not a window such as 22:00-07:00")
                : null,
            Imap = ImapFromEnvironment(Get),
            ImapTlsCertificate = Get("IMAP_TLS_CERT") is { } certificate ? PinnedCertificate(certificate) : null,
            PollerEnabled = Bool(Get("POLLER_ENABLED"), "POLLER_ENABLED", true),
            PollerInterval = TimeSpan.FromSeconds(Int(Get("POLLER_INTERVAL_SECONDS"), "POLLER_INTERVAL_SECONDS", 30, 1, 3600)),
            SendGridInboundSecret = Get("SENDGRID_INBOUND_SECRET") is { } inbound
                ? inbound.Length >= 16 && inbound.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? inbound
                    : throw new ConfigException("SENDGRID_INBOUND_SECRET", "must be at least 16 letters, digits, '-' or '_' (it is part of a URL)")
                : null,
        };

        if (options.AdminBearerToken is { Length: < 16 })
        {
            throw new ConfigException("ADMIN_BEARER_TOKEN", "must be at least 16 characters; leave it unset to have one generated");
        }
        if (options.LlmProvider == Replies.Llm.LlmProviders.OpenAi && options.OpenAiApiKey is null && options.OpenAiBaseUrl is null)
        {
            throw new ConfigException("LLM_PROVIDER", "is openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set");
        }
        if (options.LlmProvider == Replies.Llm.LlmProviders.Anthropic && options.AnthropicApiKey is null)
        {
            throw new ConfigException("LLM_PROVIDER", "is anthropic but ANTHROPIC_API_KEY is not set");
        }
        if ((options.TwilioAccountSid is null) != (options.TwilioAuthToken is null))
        {
            throw new ConfigException(options.TwilioAccountSid is null ? "TWILIO_ACCOUNT_SID" : "TWILIO_AUTH_TOKEN",
                "must be set together with " + (options.TwilioAccountSid is null ? "TWILIO_AUTH_TOKEN" : "TWILIO_ACCOUNT_SID"));
        }
        return options;
    }

    /// <summary>IMAP_HOST and its companions; IMAP_USERNAME and IMAP_PASSWORD are required with IMAP_HOST.</summary>
    private static Mail.MailboxSettings? ImapFromEnvironment(Func<string, string?> get)
    {
        string? host = get("IMAP_HOST");
        if (host is null)
        {
            return null;
        }
        string? tls = get("IMAP_TLS")?.ToLowerInvariant();
        if (tls is not (null or "implicit" or "starttls" or "none"))
        {
            throw new ConfigException("IMAP_TLS", $"'{tls}' is not one of implicit, starttls, none");
        }
        int port = Int(get("IMAP_PORT"), "IMAP_PORT", tls is "starttls" or "none" ? 143 : 993, 1, 65535);
        var mailbox = new Mail.MailboxSettings(
            host,
            port,
            get("IMAP_USERNAME") ?? throw new ConfigException("IMAP_USERNAME", "must be set with IMAP_HOST (the mailbox's login, often the address)"),
            get("IMAP_PASSWORD") ?? throw new ConfigException("IMAP_PASSWORD", "must be set with IMAP_HOST (for Gmail, an app password)"),
            tls ?? (port == 993 ? "implicit" : "starttls"),
            get("IMAP_FOLDER") ?? "INBOX");
        if (mailbox.Validate().FirstOrDefault() is { Key: { } field, Value: [var message, ..] })
        {
            throw new ConfigException("IMAP_" + field.ToUpperInvariant(), message);
        }
        return mailbox;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 PinnedCertificate(string path)
    {
        try
        {
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ConfigException("IMAP_TLS_CERT", $"'{path}' is not a readable PEM certificate: {e.Message}");
        }
    }

    private static bool Bool(string? value, string name, bool fallback) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ConfigException(name, $"'{value}' is not true or false"),
    };

    private static string? Phone(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        return Intake.Phones.International(value)
            ?? throw new ConfigException(name, $"'{value}' is not a phone number in international form such as +15551234567");
    }

    private static string KeysDirectory(string? value, DbUrl database)
    {
        if (value is null)
        {
            string? sqliteFile = database.Dialect == Dialect.Sqlite
                ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource
                : null;
            return Path.Combine(Path.GetDirectoryName(sqliteFile) is { Length: > 0 } next ? next : Path.GetFullPath("data"), "keys");
        }
        string full;
        try
        {
            full = Path.GetFullPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"'{value}' is not a directory path");
        }
        if (File.Exists(full))
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"'{full}' is a file; give a directory (it is created when missing)");
        }
        return full;
    }

    /// <summary>The e-mail channel in use: SMTP if configured, else SendGrid, else the log channel.</summary>
    public string EmailChannel => SmtpUrl is not null ? "smtp" : SendGridApiKey is not null ? "sendgrid" : "log";

    private static int Int(string? value, string name, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new ConfigException(name, $"'{value}' is not a whole number between {min} and {max}");
        }
        return n;
    }

    private static Uri? HttpUrl(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ConfigException(name, $"'{value}' is not an http(s) URL");
        }
        return uri;
    }

    private static string? Email(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        if (!MailAddress.TryCreate(value, out MailAddress? address))
        {
            throw new ConfigException(name, $"'{value}' is not an e-mail address");
        }
        return address.Address.ToLowerInvariant();
    }

    private static Uri? Smtp(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "smtp" && uri.Scheme != "smtps") || uri.Host.Length == 0)
        {
            throw new ConfigException("SMTP_URL", $"'{value}' is not an SMTP URL; expected smtp://user:pass@host:587 (or smtps:// for implicit TLS)");
        }
        return uri;
    }

    private static string Level(string? value)
    {
        if (value is null)
        {
            return "Information";
        }
        return value.ToUpperInvariant() switch
        {
            "TRACE" => "Trace",
            "DEBUG" => "Debug",
            "INFO" or "INFORMATION" => "Information",
            "WARN" or "WARNING" => "Warning",
            "ERROR" => "Error",
            "CRITICAL" => "Critical",
            _ => throw new ConfigException("LOG_LEVEL", $"'{value}' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        };
    }
}
