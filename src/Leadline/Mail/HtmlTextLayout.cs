using System.Text;

namespace Leadline.Mail;

/// <summary>
/// Builds <see cref="HtmlText"/>'s output: collapses whitespace, places line breaks, and lays out table rows, each
/// cell collected on its own so a row can be written as "Label: Value" once it is complete.
/// </summary>
internal sealed class HtmlTextLayout
{
    private const int MaxTableDepth = 32;

    private static readonly HashSet<string> s_blocks = new(StringComparer.Ordinal)
    {
        "div", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article", "header", "footer", "nav",
        "aside", "main", "address", "form", "fieldset", "figure", "figcaption", "center", "hr", "caption", "tbody",
        "thead", "tfoot",
    };

    private static readonly HashSet<string> s_paragraphs = new(StringComparer.Ordinal) { "p", "h1", "h2", "h3", "h4", "h5", "h6" };

    private readonly StringBuilder _root = new();
    private readonly Stack<Table> _tables = new();
    private int _pre;
    private int _flatTables;

    private StringBuilder Current => _tables.TryPeek(out Table? table) ? table.Cell ?? table.Outer : _root;

    /// <summary>Text between tags, its character references already decoded.</summary>
    public void Text(string text)
    {
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
