using Leadline.Hosting;

namespace Leadline.Alerts;

/// <summary>
/// Where the instance's alerts go for tenants that set none of their own: OWNER_ALERT_EMAIL, OWNER_ALERT_SMS_TO,
/// QUIET_HOURS and OPERATOR_ALERT_EMAIL; EMAIL_FROM sends them and PUBLIC_BASE_URL makes their links absolute.
/// </summary>
public sealed record AlertsOptions
{
    public string? OwnerAlertEmail { get; init; }

    /// <summary>
    /// Who hears about instance-wide trouble such as a tenant reaching its hourly outbound cap; without it, the owner's
    /// address does (in the single-business setup the owner is the operator).
    /// </summary>
    public string? OperatorAlertEmail { get; init; }

    public string? OwnerAlertSmsTo { get; init; }

    /// <summary>The owner's quiet hours for texted alerts, in the tenant's time zone.</summary>
    public QuietHours? QuietHours { get; init; }

    public string EmailFrom { get; init; } = Settings.DefaultEmailFrom;
    public Uri? PublicBaseUrl { get; init; }

    public static AlertsOptions From(IConfiguration config) => new()
    {
        OwnerAlertEmail = config.Email("OWNER_ALERT_EMAIL"),
        OperatorAlertEmail = config.Email("OPERATOR_ALERT_EMAIL"),
        OwnerAlertSmsTo = config.Phone("OWNER_ALERT_SMS_TO"),
        QuietHours = config.Text("QUIET_HOURS") is { } quiet
            ? Hosting.QuietHours.TryParse(quiet, out QuietHours? hours) ? hours
                : throw new ConfigException("QUIET_HOURS", $"'{quiet}' is not a window such as 22:00-07:00")
            : null,
        EmailFrom = config.Email("EMAIL_FROM") ?? Settings.DefaultEmailFrom,
        PublicBaseUrl = config.HttpUrl("PUBLIC_BASE_URL"),
    };
}
