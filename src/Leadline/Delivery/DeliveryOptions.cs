using Leadline.Hosting;

namespace Leadline.Delivery;

/// <summary>
/// How replies leave: EMAIL_FROM, SMTP_URL or SENDGRID_API_KEY for e-mail (else the log channel), the instance's
/// Twilio account (TWILIO_*) for texts, and PUBLIC_BASE_URL for Twilio's delivery reports.
/// </summary>
public sealed record DeliveryOptions
{
    public string EmailFrom { get; init; } = Settings.DefaultEmailFrom;
    public Uri? SmtpUrl { get; init; }
    public string? SendGridApiKey { get; init; }
    public Uri SendGridBaseUrl { get; init; } = new("https://api.sendgrid.com");
    public Uri? PublicBaseUrl { get; init; }

    /// <summary>The Twilio account of tenants without their own; null when TWILIO_ACCOUNT_SID is unset.</summary>
    public TwilioAccount? Twilio { get; init; }
    public Uri TwilioApiBaseUrl { get; init; } = new("https://api.twilio.com");

    /// <summary>The e-mail channel in use: SMTP if configured, else SendGrid, else the log channel.</summary>
    public string EmailChannel => SmtpUrl is not null ? "smtp" : SendGridApiKey is not null ? "sendgrid" : "log";

    public static DeliveryOptions From(IConfiguration config) => new()
    {
        EmailFrom = config.Email("EMAIL_FROM") ?? Settings.DefaultEmailFrom,
        SmtpUrl = Smtp(config.Text("SMTP_URL")),
        SendGridApiKey = config.Text("SENDGRID_API_KEY"),
        SendGridBaseUrl = config.HttpUrl("SENDGRID_BASE_URL") ?? new Uri("https://api.sendgrid.com"),
        PublicBaseUrl = config.HttpUrl("PUBLIC_BASE_URL"),
        Twilio = InstanceTwilio(config),
        TwilioApiBaseUrl = config.HttpUrl("TWILIO_API_BASE_URL") ?? new Uri("https://api.twilio.com"),
    };

    private static TwilioAccount? InstanceTwilio(IConfiguration config)
    {
        string? sid = config.Text("TWILIO_ACCOUNT_SID");
        string? token = config.Text("TWILIO_AUTH_TOKEN");
        if (sid is not null && !TwilioAccount.IsAccountSid(sid))
        {
            throw new ConfigException("TWILIO_ACCOUNT_SID", "is not a Twilio account SID ('AC' and 32 hex digits)");
        }
        if ((sid is null) != (token is null))
        {
            throw new ConfigException(sid is null ? "TWILIO_ACCOUNT_SID" : "TWILIO_AUTH_TOKEN",
                "must be set together with " + (sid is null ? "TWILIO_AUTH_TOKEN" : "TWILIO_ACCOUNT_SID"));
        }
        string? from = config.Phone("TWILIO_FROM_NUMBER");
        string? whatsApp = config.Phone("TWILIO_WHATSAPP_FROM");
        return sid is null ? null : new TwilioAccount(sid, token!, from, whatsApp ?? from);
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
}
