namespace Leadline.Mail.Mime;

/// <summary>
/// A Content-Type header: "text/plain; charset=utf-8" has <see cref="MediaType"/> "text", <see cref="MediaSubtype"/>
/// "plain" and the parameter charset. Type, subtype and parameter names are lower-case; parameter values are decoded
/// (RFC 2231 continuations and charsets, RFC 2047 encoded words).
/// </summary>
public sealed record ContentType(string MediaType, string MediaSubtype, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>What RFC 2045 says a part without (or with an unreadable) Content-Type is.</summary>
    public static ContentType TextPlain { get; } =
        new("text", "plain", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["charset"] = "us-ascii" });

    /// <summary>"type/subtype", lower-case.</summary>
    public string MimeType => MediaType + "/" + MediaSubtype;

    public string? Charset => Parameters.GetValueOrDefault("charset");

    public string? Boundary => Parameters.GetValueOrDefault("boundary");

    /// <summary>The legacy file name parameter that mailers still send beside Content-Disposition's filename.</summary>
    public string? Name => Parameters.GetValueOrDefault("name");

    public bool IsMultipart => MediaType == "multipart";

    /// <summary>True for this type and subtype, compared case-insensitively.</summary>
    public bool Is(string mediaType, string mediaSubtype) =>
        MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) && MediaSubtype.Equals(mediaSubtype, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses a Content-Type value. Null, empty or without a "/" gives <paramref name="fallback"/> (text/plain
    /// unless told otherwise, as in multipart/digest whose parts default to message/rfc822).
    /// </summary>
    public static ContentType Parse(string? value, ContentType? fallback = null)
    {
        fallback ??= TextPlain;
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        string main = HeaderParameters.Parse(value, out Dictionary<string, string> parameters);
        int slash = main.IndexOf('/');
        string type = slash < 0 ? main : main[..slash].Trim();
        string subtype = slash < 0 ? "" : main[(slash + 1)..].Trim();
        if (type.Length == 0 || subtype.Length == 0 || type.AsSpan().ContainsAny(" \t\"") || subtype.AsSpan().ContainsAny(" \t\""))
        {
            // A bare "text" or garbage: keep the parameters (the charset may still be right) on the fallback type.
            foreach ((string name, string parameter) in fallback.Parameters)
            {
                parameters.TryAdd(name, parameter);
            }
            return fallback with { Parameters = parameters };
        }
        return new ContentType(type, subtype, parameters);
    }
}
