using System.Globalization;
using System.Net.Mail;

namespace Leadline.Hosting;

/// <summary>
/// Reads one environment variable (or .env entry) and checks it, throwing a <see cref="ConfigException"/> that names
/// the variable and says what is wrong. Each feature's options record is built from these, so every variable is
/// validated the same way and a bad value stops start-up with one clear line.
/// </summary>
public static class Settings
{
    /// <summary>The sender of replies and alerts when EMAIL_FROM is unset.</summary>
    public const string DefaultEmailFrom = "leads@leadline.localhost";

    /// <summary>The trimmed value, or null when unset or blank.</summary>
    public static string? Text(this IConfiguration config, string name) => config[name] is { Length: > 0 } v && v.Trim() is { Length: > 0 } t ? t : null;

    public static int Int(this IConfiguration config, string name, int fallback, int min, int max)
    {
        if (config.Text(name) is not { } value)
        {
            return fallback;
        }
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new ConfigException(name, $"'{value}' is not a whole number between {min} and {max}");
        }
        return n;
    }

    public static TimeSpan Milliseconds(this IConfiguration config, string name, int fallback, int min, int max) =>
        TimeSpan.FromMilliseconds(config.Int(name, fallback, min, max));

    public static TimeSpan Seconds(this IConfiguration config, string name, int fallback, int min, int max) =>
        TimeSpan.FromSeconds(config.Int(name, fallback, min, max));

    public static bool Bool(this IConfiguration config, string name, bool fallback) => config.Text(name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var value => throw new ConfigException(name, $"'{value}' is not true or false"),
    };

    public static Uri? HttpUrl(this IConfiguration config, string name)
    {
        if (config.Text(name) is not { } value)
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ConfigException(name, $"'{value}' is not an http(s) URL");
        }
        return uri;
    }

    /// <summary>The address in lower case, without a display name.</summary>
    public static string? Email(this IConfiguration config, string name)
    {
        if (config.Text(name) is not { } value)
        {
            return null;
        }
        if (!MailAddress.TryCreate(value, out MailAddress? address))
        {
            throw new ConfigException(name, $"'{value}' is not an e-mail address");
        }
        return address.Address.ToLowerInvariant();
    }

    /// <summary>A phone number in international form, as E.164.</summary>
    public static string? Phone(this IConfiguration config, string name)
    {
        if (config.Text(name) is not { } value)
        {
            return null;
        }
        return Intake.Phones.International(value)
            ?? throw new ConfigException(name, $"'{value}' is not a phone number in international form such as +15551234567");
    }

    /// <summary>One of <paramref name="allowed"/> (compared in lower case), or null when unset.</summary>
    public static string? OneOf(this IConfiguration config, string name, params string[] allowed)
    {
        if (config.Text(name)?.ToLowerInvariant() is not { } value)
        {
            return null;
        }
        return allowed.Contains(value) ? value : throw new ConfigException(name, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>Whether a model provider is configured: with one, more jobs run at once and the LLM engine is the default.</summary>
    public static bool HasModelProvider(this IConfiguration config) =>
        (config.Text("OPENAI_API_KEY") ?? config.Text("OPENAI_BASE_URL") ?? config.Text("ANTHROPIC_API_KEY")) is not null;
}
