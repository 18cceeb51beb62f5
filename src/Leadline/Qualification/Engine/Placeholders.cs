using System.Text.RegularExpressions;

namespace Leadline.Qualification.Engine;

/// <summary>
/// Expands the placeholders of the phrase tables ({COUNT}, {UNIT}, {WD}, {MONTH}, {SEASON}, {PLACE}...) into named
/// groups built from every lexicon, so a pattern like "in {COUNT} {UNIT}" works with any language's number words.
/// A single space in a pattern matches any run of white space.
/// </summary>
internal sealed partial class Placeholders
{
    // A capitalised place name of one to three words ("Dammam", "Oak Park", "Al Khobar"); case matters here.
    private const string CapitalisedName = @"(?-i:(?:Al[- ])?\p{Lu}[\p{L}'-]*(?:[ ](?:Al[- ])?\p{Lu}[\p{L}'-]*){0,2})";

    private readonly Dictionary<string, string> _map = [];

    public Placeholders(IReadOnlyList<Lexicon> lexicons)
    {
        string numberWords = Alternation(lexicons.SelectMany(l => l.Numbers.Where(n => n.Value < 1000).Select(n => n.Key)));
        string few = Alternation(lexicons.SelectMany(l => l.Few.Keys.Concat(l.Articles)));
        string joins = Alternation(lexicons.SelectMany(l => l.CountJoins));
        string single = $@"\d+(?:\.\d+)?|{numberWords}";
        _map["COUNT"] = $@"(?<count>{few}|{single})(?:\s*(?:{joins})\s*(?:{single}))?";
        _map["UNIT"] = Group("unit", lexicons.SelectMany(l => l.Units.Values.SelectMany(v => v)));
        _map["WD"] = Group("wd", lexicons.SelectMany(l => l.Weekdays.Values.SelectMany(v => v)));
        _map["WD_BARE"] = Group("wd", lexicons.SelectMany(l => l.Weekdays.Values.SelectMany(v => v)).Where(f => !f.StartsWith('!')));
        _map["MONTH"] = Group("month", lexicons.SelectMany(l => l.Months.SelectMany(v => v)));
        _map["MONTH_BARE"] = Group("month", lexicons.SelectMany(l => l.Months.SelectMany(v => v)).Where(f => !f.StartsWith('!')));
        _map["HIJRI"] = Group("hijri", lexicons.SelectMany(l => l.HijriMonths.SelectMany(v => v)));
        _map["SEASON"] = Group("season", lexicons.SelectMany(l => l.Seasons.Values.SelectMany(v => v)));
        _map["MONTHNUM"] = "(?<monthnum>1[0-2]|0?[1-9])";
        _map["DAY"] = "(?<day>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?";
        _map["ORDINAL"] = "(?<day>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)";
        _map["YEAR"] = "(?<year>20[0-9][0-9])";
        string gazetteer = Alternation(lexicons.SelectMany(l => l.Places));
        _map["GAZ"] = $"(?<place>{gazetteer})";
        _map["PLACE"] = $"(?<place>{gazetteer}|{CapitalisedName})";
    }

    /// <summary>Folds a table pattern like a message, makes its spaces flexible and expands its placeholders.</summary>
    public string Expand(string pattern)
    {
        // " ?" is an optional space ("sq ?ft"); any other run of spaces is some white space.
        string folded = Spaces().Replace(TextFolding.FoldPhrase(pattern).Replace(" ?", @"\s*", StringComparison.Ordinal), @"\s+");
        return Placeholder().Replace(folded, m => _map.TryGetValue(m.Groups[1].Value, out string? value)
            ? value
            : throw new InvalidOperationException($"Unknown placeholder {m.Value} in phrase table pattern \"{pattern}\"."));
    }

    /// <summary>A regex matching a lexicon form literally, its spaces flexible.</summary>
    public static string Literal(string form) =>
        string.Join(@"\s+", TextFolding.FoldPhrase(form.TrimStart('!')).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape));

    private static string Group(string name, IEnumerable<string> forms) => $"(?<{name}>{Alternation(forms)})";

    // Longest first, so that "كانون الثاني" wins over "كانون" and "a couple of" over "a".
    private static string Alternation(IEnumerable<string> forms) =>
        string.Join("|", forms.Select(Literal).Where(f => f.Length > 0).Distinct().OrderByDescending(f => f.Length));

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();

    // Not "\p{L}": a placeholder has at least two letters and no "\p" before it.
    [GeneratedRegex(@"(?<!\\[pP])\{([A-Z][A-Z_]+)\}")]
    private static partial Regex Placeholder();
}
