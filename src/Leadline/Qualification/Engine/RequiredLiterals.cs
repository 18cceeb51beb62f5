using System.Text;

namespace Leadline.Qualification.Engine;

/// <summary>
/// Reads a phrase pattern (the regex subset the tables use) and finds literals of which every match must contain at
/// least one: "(?:in|within) {COUNT} {UNIT}" needs a unit word, "next week" needs "next" or "week". A message that
/// holds none of them cannot match, so the pattern is not run on it. Null means no such literal (always run).
/// </summary>
internal sealed class RequiredLiterals
{
    private readonly string _p;
    private int _i;

    private RequiredLiterals(string pattern) => _p = pattern;

    /// <summary>
    /// Lower-cased literals of which every match holds one (null when there are none), and, when every match must
    /// begin with one of them, that leading set: the pattern then only needs trying where those literals start.
    /// </summary>
    public static (List<string>? Required, List<string>? Leading) Of(string pattern)
    {
        var parser = new RequiredLiterals(pattern);
        (List<string>? required, List<string>? leading) = parser.Alternation();
        return parser._i == pattern.Length ? (required, leading) : (null, null);
    }

    // Any of the alternatives may match, so the union of their literals is needed; one without literals spoils it.
    private (List<string>? Required, List<string>? Leading) Alternation()
    {
        var required = new List<string>();
        var leading = new List<string>();
        bool allRequired = true, allLeading = true;
        while (true)
        {
            (List<string>? r, List<string>? l) = Sequence();
            allRequired &= r is not null;
            allLeading &= l is not null;
            required.AddRange(r ?? []);
            leading.AddRange(l ?? []);
            if (_i < _p.Length && _p[_i] == '|')
            {
                _i++;
                continue;
            }
            return (allRequired ? required.Distinct().ToList() : null, allLeading ? leading.Distinct().ToList() : null);
        }
    }

    // Every element of a sequence is needed: keep the most selective requirement (longest shortest literal). The
    // first element, when required, is also what every match starts with.
    private (List<string>? Required, List<string>? Leading) Sequence()
    {
        List<string>? best = null, leading = null;
        bool first = true;
        var run = new StringBuilder();
        while (_i < _p.Length && _p[_i] is not ('|' or ')'))
        {
            (List<string>? atom, List<string>? atomLeading, string? literal) = Atom();
            (int min, int max) = Quantifier();
            if (literal is not null && min >= 1 && max == 1)
            {
                run.Append(literal);
                continue;
            }
            if (first)
            {
                leading = run.Length > 0 ? [run.ToString().ToLowerInvariant()] : min >= 1 ? (literal is not null ? [literal.ToLowerInvariant()] : atomLeading) : null;
                first = false;
            }
            best = Better(best, Flush(run));
            if (min >= 1)
            {
                best = Better(best, literal is not null ? [literal.ToLowerInvariant()] : atom);
            }
        }
        if (first && run.Length > 0)
        {
            leading = [run.ToString().ToLowerInvariant()];
        }
        return (Better(best, Flush(run)), leading);
    }

    private static List<string>? Flush(StringBuilder run)
    {
        if (run.Length == 0)
        {
            return null;
        }
        string literal = run.ToString().ToLowerInvariant();
        run.Clear();
        return [literal];
    }

    private static List<string>? Better(List<string>? a, List<string>? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        int ma = a.Min(s => s.Length), mb = b.Min(s => s.Length);
        return mb > ma || (mb == ma && b.Count < a.Count) ? b : a;
    }

    /// <summary>One atom: a group (its literals), a single literal character, or anything else (no literal).</summary>
    private (List<string>? Literals, List<string>? Leading, string? Literal) Atom()
    {
        char c = _p[_i];
        if (c == '(')
        {
            _i++;
            bool lookaround = false;
            if (_p[_i] == '?')
            {
                _i++;
                if (_p[_i] is '!' or '=')
                {
                    (lookaround, _i) = (true, _i + 1);
                }
                else if (_p[_i] == '<' && _p[_i + 1] is '!' or '=')
                {
                    (lookaround, _i) = (true, _i + 2);
                }
                else if (_p[_i] == '<')
                {
                    _i = _p.IndexOf('>', _i) + 1; // a named group
                }
                else
                {
                    _i = _p.IndexOf(':', _i) + 1; // "?:" or inline options such as "?-i:"
                }
            }
            (List<string>? inner, List<string>? innerLeading) = Alternation();
            _i++; // ')'
            return lookaround ? (null, null, null) : (inner, innerLeading, null);
        }
        if (c == '[')
        {
            int open = ++_i;
            while (_p[_i] != ']' || _p[_i - 1] == '\\')
            {
                _i++;
            }
            _i++;
            List<string>? chars = ClassChars(_p[open..(_i - 1)]);
            return (chars, chars, null);
        }
        if (c == '\\')
        {
            char e = _p[_i + 1];
            _i += 2;
            if (e is 'p' or 'P')
            {
                _i = _p.IndexOf('}', _i) + 1;
                return (null, null, null);
            }
            if (e == 'd')
            {
                List<string> digits = [.. "0123456789".Select(d => d.ToString())];
                return (digits, digits, null);
            }
            return char.IsLetterOrDigit(e) ? (null, null, null) : (null, null, e.ToString());
        }
        _i++;
        return c is '.' or '^' or '$' ? (null, null, null) : (null, null, c.ToString());
    }

    /// <summary>The characters of a small class like "[0-9]" or "[-/]" as one-character literals; null for others.</summary>
    private static List<string>? ClassChars(string body)
    {
        if (body.StartsWith('^') || body.Contains('\\'))
        {
            return null;
        }
        var chars = new List<string>();
        for (int k = 0; k < body.Length; k++)
        {
            if (k + 2 < body.Length && body[k + 1] == '-')
            {
                for (char ch = body[k]; ch <= body[k + 2]; ch++)
                {
                    chars.Add(char.ToLowerInvariant(ch).ToString());
                }
                k += 2;
            }
            else
            {
                chars.Add(char.ToLowerInvariant(body[k]).ToString());
            }
        }
        return chars.Count <= 12 ? chars.Distinct().ToList() : null;
    }

    private (int Min, int Max) Quantifier()
    {
        if (_i >= _p.Length)
        {
            return (1, 1);
        }
        (int min, int max) = _p[_i] switch
        {
            '?' => (0, 1),
            '*' => (0, int.MaxValue),
            '+' => (1, int.MaxValue),
            '{' when _p.IndexOf('}', _i) is int close and > 0 && _p[(_i + 1)..close].All(ch => char.IsDigit(ch) || ch == ',') => Braces(close),
            _ => (-1, -1),
        };
        if (min < 0)
        {
            return (1, 1);
        }
        if (_p[_i] != '{')
        {
            _i++;
        }
        if (_i < _p.Length && _p[_i] == '?')
        {
            _i++; // lazy
        }
        return (min, max);
    }

    private (int, int) Braces(int close)
    {
        string[] parts = _p[(_i + 1)..close].Split(',');
        _i = close + 1;
        int min = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int max = parts.Length == 1 ? min : parts[1].Length == 0 ? int.MaxValue : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return (min, max);
    }
}
