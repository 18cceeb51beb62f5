using System.Text;
using System.Text.RegularExpressions;

namespace Leadline.Tests.Delivery;

/// <summary>
/// Reads a raw RFC 5322 message the way a mail client would: unfolds headers, decodes RFC 2047 encoded-words and
/// the body's transfer encoding. Written independently of the code under test, so the two check each other.
/// </summary>
public sealed partial class MailText
{
    private readonly List<(string Name, string Value)> _headers;

    private MailText(List<(string, string)> headers, string rawHeaders, string body)
    {
        _headers = headers;
        RawHeaders = rawHeaders;
        Body = body;
    }

    public string RawHeaders { get; }

    /// <summary>The decoded body with CRLF turned into \n and the final line break removed.</summary>
    public string Body { get; }

    public static MailText Parse(string raw)
    {
        int split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = split >= 0 ? raw[..split] : raw;
        string body = split >= 0 ? raw[(split + 4)..] : "";

        var headers = new List<(string, string)>();
        foreach (string line in Regex.Split(head, "\r\n(?![ \t])"))
        {
            int colon = line.IndexOf(':');
            headers.Add((line[..colon], line[(colon + 1)..].Replace("\r\n", "").Trim()));
        }
        string encoding = headers.LastOrDefault(h => h.Item1.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .Item2?.ToLowerInvariant() ?? "7bit";
        byte[] bytes = encoding switch
        {
            "base64" => Convert.FromBase64String(body.Replace("\r\n", "")),
            "quoted-printable" => QuotedPrintable(body),
            _ => Encoding.UTF8.GetBytes(body),
        };
        string text = Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n");
        return new MailText(headers, head, text.EndsWith('\n') ? text[..^1] : text);
    }

    /// <summary>All values of a header, undecoded.</summary>
    public IReadOnlyList<string> All(string name) =>
        [.. _headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// <summary>The single value of a header, undecoded; null when absent.</summary>
    public string? Header(string name) => All(name).SingleOrDefault();

    /// <summary>The header with encoded-words decoded.</summary>
    public string? Decoded(string name) => Header(name) is { } value ? DecodeWords(value) : null;

    public static string DecodeWords(string value)
    {
        // White space between two adjacent encoded-words is not part of the text (RFC 2047 section 6.2).
        string joined = AdjacentWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m =>
        {
            byte[] bytes = m.Groups[2].Value.ToUpperInvariant() == "B"
                ? Convert.FromBase64String(m.Groups[3].Value)
                : QuotedPrintable(m.Groups[3].Value.Replace('_', ' '));
            return Encoding.GetEncoding(m.Groups[1].Value).GetString(bytes);
        });
    }

    private static byte[] QuotedPrintable(string text)
    {
        string unwrapped = text.Replace("=\r\n", "");
        var bytes = new List<byte>(unwrapped.Length);
        for (int i = 0; i < unwrapped.Length; i++)
        {
            if (unwrapped[i] == '=' && i + 2 < unwrapped.Length && Uri.IsHexDigit(unwrapped[i + 1]) && Uri.IsHexDigit(unwrapped[i + 2]))
            {
                bytes.Add(Convert.ToByte(unwrapped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unwrapped[i].ToString()));
            }
        }
        return [.. bytes];
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWords();
}
