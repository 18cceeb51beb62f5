using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Turns a text part's decoded bytes into the text a person wrote: the right charset (for HTML without one, the
/// charset its own meta tag declares), no byte-order mark, "\n" line breaks, and format=flowed lines rejoined.
/// </summary>
internal static class BodyText
{
    internal static string Decode(byte[] bytes, ContentType type)
    {
        string? charset = type.Charset;
        if (charset is null && type.MediaSubtype == "html")
        {
            charset = MetaCharset(bytes);
        }
        string text = Charsets.Decode(bytes, charset);
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        if (type.MediaSubtype == "plain" && string.Equals(type.Parameters.GetValueOrDefault("format"), "flowed", StringComparison.OrdinalIgnoreCase))
        {
            bool delSp = string.Equals(type.Parameters.GetValueOrDefault("delsp"), "yes", StringComparison.OrdinalIgnoreCase);
            text = Unflow(text, delSp);
        }
        return text;
    }

    /// <summary>
    /// RFC 3676: a line ending in a space continues on the next line (the space is dropped too with delsp=yes);
    /// a leading space was added by the sender to protect "From " and "&gt;" and is removed. "-- " stays a line.
    /// </summary>
    private static string Unflow(string text, bool delSp)
    {
        var result = new StringBuilder(text.Length);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int depth = 0;
            while (depth < line.Length && line[depth] == '>')
            {
                depth++;
            }
            string content = line[depth..];
            if (content.StartsWith(' '))
            {
                content = content[1..];
            }
            bool flowed = content.EndsWith(' ') && content != "-- " && i + 1 < lines.Length;
            if (depth > 0 && (result.Length == 0 || result[^1] == '\n'))
            {
                result.Append('>', depth).Append(' ');
            }
            result.Append(flowed && delSp ? content[..^1] : content);
            if (!flowed && i + 1 < lines.Length)
            {
                result.Append('\n');
            }
        }
        return result.ToString();
    }

    /// <summary>The charset of a &lt;meta charset&gt; or http-equiv Content-Type tag near the top of an HTML body.</summary>
    private static string? MetaCharset(byte[] bytes)
    {
        string head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        int at = head.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || head.LastIndexOf("<meta", at, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }
        int start = at + "charset=".Length;
        while (start < head.Length && head[start] is '"' or '\'' or ' ')
        {
            start++;
        }
        int end = start;
        while (end < head.Length && (char.IsAsciiLetterOrDigit(head[end]) || head[end] is '-' or '_' or ':' or '.'))
        {
            end++;
        }
        return end > start ? head[start..end] : null;
    }
}
