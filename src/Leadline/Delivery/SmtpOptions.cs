using System.Net;
using Leadline.Hosting;

namespace Leadline.Delivery;

/// <summary>
/// Where and how the SMTP channel connects, read from <c>SMTP_URL</c>: <c>smtp://user:pass@host:port</c> upgrades
/// with STARTTLS whenever the server offers it (port 25 by default), <c>smtps://</c> speaks TLS from the first byte
/// (port 465 by default). User and password are URL-decoded, so a password may contain <c>@</c> or <c>:</c> as
/// <c>%40</c> and <c>%3A</c>.
/// </summary>
public sealed record SmtpOptions
{
    public const string InsecureLoopbackVariable = "SMTP_TLS_INSECURE_LOOPBACK";

    public required string Host { get; init; }
    public required int Port { get; init; }
    public bool ImplicitTls { get; init; }
    public string? UserName { get; init; }
    public string? Password { get; init; }

    /// <summary>
    /// Accepts any TLS certificate, but only when <see cref="Host"/> is a loopback address: for tests and local
    /// relays with self-signed certificates (<c>SMTP_TLS_INSECURE_LOOPBACK=true</c>). Remote hosts are always
    /// validated, whatever this says.
    /// </summary>
    public bool AcceptAnyCertificateOnLoopback { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for any one reply, including the one after the message data.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool HasCredentials => UserName is not null;

    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));

    /// <summary>The options for the configured SMTP_URL, or null when none is set.</summary>
    public static SmtpOptions? Load(Uri? smtpUrl, IConfiguration config)
    {
        if (smtpUrl is not Uri url)
        {
            return null;
        }
        bool implicitTls = url.Scheme == "smtps";
        string? user = null;
        string? password = null;
        if (url.UserInfo.Length > 0)
        {
            string[] parts = url.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return new SmtpOptions
        {
            Host = url.IdnHost,
            Port = url.Port > 0 ? url.Port : implicitTls ? 465 : 25,
            ImplicitTls = implicitTls,
            UserName = user,
            Password = password,
            AcceptAnyCertificateOnLoopback = Flag(config[InsecureLoopbackVariable], InsecureLoopbackVariable),
        };
    }

    private static bool Flag(string? value, string name) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "0" or "false" or "no" or "off" => false,
        "1" or "true" or "yes" or "on" => true,
        _ => throw new ConfigException(name, $"'{value}' is not true or false"),
    };
}
