using Leadline.Hosting;

namespace Leadline.Intake;

/// <summary>DEDUPE_WINDOW_MIN, and PUBLIC_BASE_URL, the URL Twilio signs its webhooks for when behind a proxy.</summary>
public sealed record IntakeOptions
{
    /// <summary>The same contact with the same text inside this window is suppressed; zero turns it off.</summary>
    public int DedupeWindowMinutes { get; init; } = 10;

    public Uri? PublicBaseUrl { get; init; }

    public static IntakeOptions From(IConfiguration config) => new()
    {
        DedupeWindowMinutes = config.Int("DEDUPE_WINDOW_MIN", 10, 0, 7 * 24 * 60),
        PublicBaseUrl = config.HttpUrl("PUBLIC_BASE_URL"),
    };
}
