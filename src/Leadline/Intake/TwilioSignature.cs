using System.Security.Cryptography;
using System.Text;

namespace Leadline.Intake;

/// <summary>
/// Twilio's webhook signature (<c>X-Twilio-Signature</c>): Base64 of HMAC-SHA1, keyed with the account's auth token,
/// over the full URL Twilio requested (query string included) followed by every form parameter sorted by name
/// (ordinal), name then value; a parameter with several values contributes each distinct value, sorted. Like
/// Twilio's own libraries, the URL is also tried with the default port (:443, :80) added or removed, since proxies
/// differ on whether they pass it on. JSON-bodied webhooks sign the URL alone and carry the body's hex SHA-256 in
/// the <c>bodySHA256</c> query parameter.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (string value in values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }
        }
        byte[] mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>True when <paramref name="signature"/> matches the URL (or its default-port variant) and parameters.</summary>
    public static bool IsValid(string authToken, string? signature, string url, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> parameters)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }
        var list = parameters.ToList();
        byte[] given = Encoding.UTF8.GetBytes(signature);
        foreach (string candidate in UrlVariants(url))
        {
            byte[] expected = Encoding.UTF8.GetBytes(Compute(authToken, candidate, list));
            if (CryptographicOperations.FixedTimeEquals(expected, given))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>For a JSON body: the signature over the URL alone, and the URL's bodySHA256 equal to the body's hash.</summary>
    public static bool IsValidJson(string authToken, string? signature, string url, ReadOnlySpan<byte> body)
    {
        string? claimed = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
            ? System.Web.HttpUtility.ParseQueryString(uri.Query)["bodySHA256"]
            : null;
        if (claimed is null)
        {
            return false;
        }
        byte[] actual = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(body)));
        return CryptographicOperations.FixedTimeEquals(actual, Encoding.ASCII.GetBytes(claimed.ToLowerInvariant()))
            && IsValid(authToken, signature, url, []);
    }

    /// <summary>The URL as given, then with the scheme's default port removed or added.</summary>
    public static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            yield break;
        }
        int defaultPort = uri.Scheme == "https" ? 443 : 80;
        int authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }
        string authority = url[authorityStart..authorityEnd];
        string suffix = ":" + defaultPort;
        string other = authority.EndsWith(suffix, StringComparison.Ordinal)
            ? authority[..^suffix.Length]
            : authority.Contains(':', StringComparison.Ordinal) ? authority : authority + suffix;
        if (other != authority)
        {
            yield return url[..authorityStart] + other + url[authorityEnd..];
        }
    }
}
