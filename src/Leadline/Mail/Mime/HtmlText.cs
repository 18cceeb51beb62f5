namespace Leadline.Mail.Mime;

/// <summary>
/// Reads the text a person sees in an HTML e-mail, for messages that have no text/plain part.
/// </summary>
/// <remarks>
/// A single pass over the markup, linear in its length whatever it contains (no regex, no DOM): script, style,
/// head and comments (Outlook's conditional blocks too) are dropped; block elements and &lt;br&gt; become line
/// breaks; list items start with "- "; a table row of a short label and a value reads "Label: Value" (form
/// notifications are such tables), other rows join their cells with " | "; entities are decoded, numeric ones too;
/// whitespace is collapsed as a browser would, and blank lines are kept to one.
/// </remarks>
public static class HtmlText
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "head", "title", "noscript", "template", "xml", "svg",
    };

    /// <summary>The readable text of <paramref name="html"/>, lines separated by "\n"; "" for null or empty input.</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }
        var writer = new HtmlTextLayout();
        int position = 0;
        while (position < html.Length)
        {
            int open = html.IndexOf('<', position);
            if (open < 0)
            {
                writer.Text(html[position..]);
                break;
            }
            if (open > position)
            {
                writer.Text(html[position..open]);
            }
            position = ReadMarkup(html, open, writer);
        }
        return writer.Finish();
    }

    /// <summary>Handles the markup that starts at <paramref name="open"/> ("&lt;"); returns where text resumes.</summary>
    private static int ReadMarkup(string html, int open, HtmlTextLayout writer)
    {
        if (string.CompareOrdinal(html, open, "<!--", 0, 4) == 0)
        {
            int endComment = html.IndexOf("-->", open + 4, StringComparison.Ordinal);
            return endComment < 0 ? html.Length : endComment + 3;
        }
        int next = open + 1;
        bool closing = next < html.Length && html[next] == '/';
        if (closing)
        {
            next++;
        }
        if (next >= html.Length || !(char.IsAsciiLetter(html[next]) || (!closing && html[next] is '!' or '?')))
        {
            writer.Text("<"); // "a < b" is text, not a tag
            return open + 1;
        }
        int nameEnd = next;
        while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is ':' or '-' or '!' or '?'))
        {
            nameEnd++;
        }
        string name = html[next..nameEnd].ToLowerInvariant();
        int tagEnd = TagEnd(html, nameEnd);
        if (!closing && s_skipped.Contains(name) && !html.AsSpan(open, tagEnd - open).TrimEnd('>').EndsWith("/"))
        {
            return SkipElement(html, name, tagEnd);
        }
        writer.Tag(name, closing);
        return tagEnd;
    }

    /// <summary>The index after the "&gt;" that closes a tag, skipping quoted attribute values.</summary>
    private static int TagEnd(string html, int from)
    {
        char quote = '\0';
        for (int i = from; i < html.Length; i++)
        {
            char c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && i > 0 && html[i - 1] == '=')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }
        return html.Length;
    }

    /// <summary>Skips to after "&lt;/name&gt;"; a head left open ends where the body begins.</summary>
    private static int SkipElement(string html, string name, int from)
    {
        int close = html.IndexOf("</" + name, from, StringComparison.OrdinalIgnoreCase);
        if (name == "head")
        {
            int body = html.IndexOf("<body", from, StringComparison.OrdinalIgnoreCase);
            if (body >= 0 && (close < 0 || body < close))
            {
                return body;
            }
        }
        return close < 0 ? html.Length : TagEnd(html, close + 2 + name.Length);
    }
}
