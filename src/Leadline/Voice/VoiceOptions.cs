using Leadline.Hosting;

namespace Leadline.Voice;

/// <summary>PUBLIC_BASE_URL: Twilio fetches the call's instructions and posts its answers there.</summary>
public sealed record VoiceOptions
{
    public Uri? PublicBaseUrl { get; init; }

    public static VoiceOptions From(IConfiguration config) => new() { PublicBaseUrl = config.HttpUrl("PUBLIC_BASE_URL") };
}
