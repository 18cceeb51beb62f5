using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Leadline.Mail.Imap;

/// <summary>Where and how <see cref="ImapClient"/> connects. Credentials are given to the login methods, not here.</summary>
public sealed record ImapOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public ImapSecurity Security { get; init; } = ImapSecurity.Implicit;

    /// <summary>
    /// When set, the server's certificate must be exactly this one, and nothing else about it is checked (issuer,
    /// name, dates): for a server with a self-signed certificate, and for tests. When null (the default), the
    /// certificate is validated the normal way, against the system's trusted roots and <see cref="Host"/>.
    /// </summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long any one response may take to arrive in full, a large message included.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest literal (a fetched message) accepted; a bigger one is an <see cref="ImapProtocolException"/>.</summary>
    public int MaxLiteralSize { get; init; } = 64 * 1024 * 1024;

    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// The security for an <c>IMAP_TLS</c> value (<c>implicit</c>, <c>starttls</c> or <c>none</c>); without one,
    /// implicit TLS on port 993 and STARTTLS on any other port.
    /// </summary>
    /// <exception cref="ArgumentException">The value is none of those.</exception>
    public static ImapSecurity SecurityFor(string? imapTls, int port) => imapTls?.Trim().ToLowerInvariant() switch
    {
        null or "" => port == 993 ? ImapSecurity.Implicit : ImapSecurity.StartTls,
        "implicit" => ImapSecurity.Implicit,
        "starttls" => ImapSecurity.StartTls,
        "none" => ImapSecurity.None,
        _ => throw new ArgumentException($"'{imapTls}' is not implicit, starttls or none", nameof(imapTls)),
    };
}
