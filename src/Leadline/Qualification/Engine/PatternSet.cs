using System.Text.RegularExpressions;

namespace Leadline.Qualification.Engine;

/// <summary>A phrase found in a message: its span in the folded text, the table key it belongs to, and the match for its groups.</summary>
internal readonly record struct Hit(int Start, int End, string Key, Match Match);

/// <summary>
/// One category of the phrase tables: each pattern a small regex, tried only where it can match. When every match
/// starts with one of a few literals ("tomorrow", a weekday name) it is tried, anchored, only where those start;
/// otherwise it runs only on messages holding one of its required literals (<see cref="LiteralIndex"/>). Hits are
/// taken leftmost-longest without overlap; a hit overlapping one of the category's "blocked" phrases is dropped.
/// </summary>
internal sealed class PatternSet
{
    public const string BlockedKey = "blocked";

    // Clitics ("و", "وب") are at most two letters: an anchored pattern is also tried up to two characters earlier.
    private const int MaxPrefixLength = 2;

    // Interpreted, not compiled: each pattern is small and runs only where it can match, and compiling hundreds of
    // them would cost seconds at start-up.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Phrases match whole words: no letter may touch the start (checked in code, so that unanchored regexes keep
    // their fast search for a first character; a digit may, as in "5pm", "2br", "5000SAR"), no letter or digit the end.
    private const string After = @"(?![\p{L}\p{N}_])";

    private readonly Entry[] _positive;
    private readonly Entry[] _blocked;

    /// <param name="Anchored">Literals every match starts with; the regex begins with \G and is tried where they start.</param>
    /// <param name="Required">Literals every match holds; without any of them the regex is not run. Null: always run.</param>
    private sealed record Entry(string Key, Regex Regex, int[]? Anchored, int[]? Required, bool WordStart, bool Prefixed);

    /// <param name="patterns">(key, pattern, clitic prefix) with placeholders already expanded.</param>
    /// <param name="index">Where the patterns' literals are registered.</param>
    public PatternSet(IEnumerable<(string Key, string Pattern, string Prefix)> patterns, LiteralIndex index)
    {
        var entries = patterns.Select(p => Create(p.Key, p.Pattern, p.Prefix, index)).ToList();
        _positive = entries.Where(e => e.Key != BlockedKey).ToArray();
        _blocked = entries.Where(e => e.Key == BlockedKey).ToArray();
    }

    /// <summary>Every unblocked hit, left to right; <paramref name="literals"/> comes from <see cref="LiteralIndex.Scan"/>.</summary>
    public List<Hit> Find(string text, LiteralMatches literals)
    {
        var hits = new List<Hit>();
        foreach (Entry e in _positive)
        {
            Collect(e, text, literals, hits);
        }
        if (hits.Count == 0)
        {
            return hits;
        }
        var blocked = new List<Hit>();
        foreach (Entry e in _blocked)
        {
            Collect(e, text, literals, blocked);
        }
        hits.RemoveAll(h => blocked.Exists(b => b.Start < h.End && h.Start < b.End));
        // Leftmost, then longest: "next weekend" wins over "next week", "end of next week" over "next week".
        hits.Sort((x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : (y.End - y.Start).CompareTo(x.End - x.Start));
        var chosen = new List<Hit>(hits.Count);
        foreach (Hit h in hits)
        {
            if (chosen.Count == 0 || h.Start >= chosen[^1].End)
            {
                chosen.Add(h);
            }
        }
        return chosen;
    }

    private static void Collect(Entry e, string text, LiteralMatches literals, List<Hit> hits)
    {
        if (e.Required is not null && !Array.Exists(e.Required, literals.Contains))
        {
            return;
        }
        if (e.Anchored is not null)
        {
            foreach (int id in e.Anchored)
            {
                if (!literals.Contains(id))
                {
                    continue;
                }
                for (int k = literals.First(id); literals.IdAt(k) == id; k++)
                {
                    int start = literals.StartAt(k);
                    if (e.WordStart && InsideWord(text, start, e.Prefixed ? MaxPrefixLength : 0))
                    {
                        continue; // "in" inside "waiting": no phrase starts there
                    }
                    for (int p = start; p >= Math.Max(0, start - (e.Prefixed ? MaxPrefixLength : 0)); p--)
                    {
                        Match m = e.Regex.Match(text, p);
                        if (m.Success && (!e.WordStart || m.Index == 0 || !char.IsLetter(text[m.Index - 1]))
                            && !hits.Exists(h => h.Start == m.Index && h.End == m.Index + m.Length))
                        {
                            hits.Add(new Hit(m.Index, m.Index + m.Length, e.Key, m));
                        }
                    }
                }
            }
            return;
        }
        Match next = e.Regex.Match(text);
        while (next.Success)
        {
            if (e.WordStart && next.Index > 0 && char.IsLetter(text[next.Index - 1]))
            {
                next = e.Regex.Match(text, next.Index + 1); // started inside a word: look again from the next character
                continue;
            }
            hits.Add(new Hit(next.Index, next.Index + next.Length, e.Key, next));
            next = next.NextMatch();
        }
    }

    /// <summary>True when more than <paramref name="prefix"/> letters precede the position within its word.</summary>
    private static bool InsideWord(string text, int position, int prefix)
    {
        for (int k = 1; k <= prefix + 1; k++)
        {
            if (position - k < 0 || !char.IsLetter(text[position - k]))
            {
                return false;
            }
        }
        return true;
    }

    private static Entry Create(string key, string pattern, string prefix, LiteralIndex index)
    {
        (List<string>? required, List<string>? leading) = RequiredLiterals.Of(pattern);
        bool anchored = leading is not null && leading.TrueForAll(l => l.Length > 0);
        string body = prefix + "(?:" + pattern + ")" + (NeedsEndBoundary(pattern) ? After : "");
        return new Entry(
            key,
            new Regex((anchored ? @"\G" : "") + body, Options),
            anchored ? leading!.Select(index.Add).ToArray() : null,
            required?.Select(index.Add).ToArray(),
            NeedsBoundary(pattern),
            prefix.Length > 0);
    }

    // Phrases that start with a symbol ("+", "%", "/", "$") may touch a number on their left; words may not.
    private static bool NeedsBoundary(string pattern)
    {
        if (pattern.Length == 0)
        {
            return true;
        }
        char c = pattern[0];
        return c == '\\' ? pattern.Length > 1 && char.IsLetter(pattern[1]) : c is '(' or '[' or '{' || char.IsLetterOrDigit(c);
    }

    // Phrases that end with a literal symbol ("-", "\+", "%") may touch a number on their right.
    private static bool NeedsEndBoundary(string pattern)
    {
        if (pattern.Length == 0)
        {
            return true;
        }
        char c = pattern[^1];
        bool escaped = pattern.Length > 1 && pattern[^2] == '\\';
        return char.IsLetterOrDigit(c) || (!escaped && c is ')' or ']' or '?' or '*' or '+' or '}');
    }
}
