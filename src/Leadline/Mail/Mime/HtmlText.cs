using System.Net;
using System.Text;

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
    private static readonly HashSet<string> s_blocks = new(StringComparer.Ordinal)
    {
        "div", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article", "header", "footer", "nav",
        "aside", "main", "address", "form", "fieldset", "figure", "figcaption", "center", "hr", "caption", "tbody",
        "thead", "tfoot",
    };

    private static readonly HashSet<string> s_paragraphs = new(StringComparer.Ordinal) { "p", "h1", "h2", "h3", "h4", "h5", "h6" };

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
        var writer = new TextLayout();
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
    private static int ReadMarkup(string html, int open, TextLayout writer)
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

    /// <summary>Builds the text: collapses whitespace, places line breaks, lays out table rows.</summary>
    private sealed class TextLayout
    {
        private readonly StringBuilder _root = new();
        private const int MaxTableDepth = 32;

        private readonly Stack<Table> _tables = new();
        private int _pre;
        private int _flatTables;

        private StringBuilder Current => _tables.TryPeek(out Table? table) ? table.Cell ?? table.Outer : _root;

        public void Text(string raw)
        {
            string text = WebUtility.HtmlDecode(raw);
            StringBuilder sb = Current;
            foreach (char c in text)
            {
                if (_pre > 0 && c == '\n')
                {
                    sb.Append('\n');
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (sb.Length > 0 && sb[^1] is not (' ' or '\n'))
                    {
                        sb.Append(' ');
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        public void Tag(string name, bool closing)
        {
            switch (name)
            {
                case "br":
                    Current.Append('\n');
                    break;
                case "li" when !closing:
                    Break(Current, 1);
                    Current.Append("- ");
                    break;
                case "pre":
                    _pre = Math.Max(0, _pre + (closing ? -1 : 1));
                    Break(Current, 1);
                    break;
                case "table" when !closing && _tables.Count >= MaxTableDepth:
                    // Deeper layout tables only add cost: read them as plain blocks.
                    _flatTables++;
                    Break(Current, 1);
                    break;
                case "table" when !closing:
                    _tables.Push(new Table(Current));
                    break;
                case "table" when _flatTables > 0:
                    _flatTables--;
                    Break(Current, 1);
                    break;
                case "table" when _tables.Count > 0:
                    Table table = _tables.Pop();
                    table.EndRow();
                    Break(table.Outer, 1);
                    break;
                case "tr" when _tables.Count > 0:
                    _tables.Peek().EndRow();
                    break;
                case "td" or "th" when _tables.Count > 0:
                    Table current = _tables.Peek();
                    current.EndCell();
                    if (!closing)
                    {
                        current.Cell = new StringBuilder();
                    }
                    break;
                case "td" or "th" or "tr" or "li":
                    Break(Current, 1);
                    break;
                default:
                    if (s_paragraphs.Contains(name))
                    {
                        Break(Current, 2);
                    }
                    else if (s_blocks.Contains(name))
                    {
                        Break(Current, 1);
                    }
                    break;
            }
        }

        public string Finish()
        {
            while (_tables.TryPop(out Table? table))
            {
                table.EndRow();
            }
            return Tidy(_root.ToString());
        }

        /// <summary>Ends the current line and, for 2, leaves a blank line; never at the very start.</summary>
        private static void Break(StringBuilder sb, int lines)
        {
            while (sb.Length > 0 && sb[^1] == ' ')
            {
                sb.Length--;
            }
            if (sb.Length == 0)
            {
                return;
            }
            int trailing = 0;
            while (trailing < lines && trailing < sb.Length && sb[sb.Length - 1 - trailing] == '\n')
            {
                trailing++;
            }
            sb.Append('\n', Math.Max(0, lines - trailing));
        }

        /// <summary>Trims every line, turns no-break spaces into spaces and keeps at most one blank line in a row.</summary>
        internal static string Tidy(string text)
        {
            var result = new StringBuilder(text.Length);
            int blank = 0;
            foreach (string rawLine in text.Split('\n'))
            {
                string line = rawLine.Replace('\u00A0', ' ').Trim();
                if (line.Length == 0)
                {
                    blank++;
                    continue;
                }
                if (result.Length > 0)
                {
                    result.Append(blank > 0 ? "\n\n" : "\n");
                }
                result.Append(line);
                blank = 0;
            }
            return result.ToString();
        }

        /// <summary>A table being read: the row's finished cells, the open cell, and where the rows go.</summary>
        private sealed class Table(StringBuilder outer)
        {
            private readonly List<string> _row = [];

            public StringBuilder Outer { get; } = outer;

            public StringBuilder? Cell { get; set; }

            public void EndCell()
            {
                if (Cell is not null)
                {
                    string text = Tidy(Cell.ToString());
                    if (text.Length > 0)
                    {
                        _row.Add(text);
                    }
                    Cell = null;
                }
            }

            public void EndRow()
            {
                EndCell();
                if (_row.Count == 0)
                {
                    return;
                }
                Break(Outer, 1);
                Outer.Append(Layout(_row)).Append('\n');
                _row.Clear();
            }

            private static string Layout(List<string> cells)
            {
                if (cells.Count == 2 && cells[0].Length <= 60 && !cells[0].Contains('\n'))
                {
                    string label = cells[0].TrimEnd().TrimEnd(':', '\uFF1A').TrimEnd();
                    return label + ": " + cells[1];
                }
                if (cells.All(c => !c.Contains('\n') && c.Length <= 80))
                {
                    return string.Join(" | ", cells);
                }
                return string.Join("\n", cells);
            }
        }
    }
}
