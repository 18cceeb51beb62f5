using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Leadline.Qualification.Engine;

/// <summary>
/// All phrase tables merged and compiled once per process. Each category of every language becomes one
/// <see cref="PatternSet"/>; the lexicons become look-up tables (<see cref="Words"/>).
/// </summary>
internal sealed class PhraseBook
{
    private const string ResourcePrefix = "Leadline.Qualification.Phrases.";

    private static readonly Lazy<PhraseBook> s_default = new(() => new PhraseBook(LoadEmbeddedTables()));

    private readonly Dictionary<string, PatternSet> _sets = [];

    public PhraseBook(IReadOnlyList<PhraseTable> tables)
    {
        Words = new Words(tables.Select(t => t.Lexicon).ToList());
        Languages = tables.Select(t => (t.Code, new Regex(t.Letters))).ToList();
        var placeholders = new Placeholders(tables.Select(t => t.Lexicon).ToList());
        foreach (string category in tables.SelectMany(t => t.Phrases.Keys).Distinct())
        {
            var patterns = new List<(string, string, string)>();
            foreach (PhraseTable table in tables)
            {
                if (!table.Phrases.TryGetValue(category, out var keyed))
                {
                    continue;
                }
                foreach ((string key, string[] list) in keyed)
                {
                    string prefix = table.NoPrefix.Contains(category) ? "" : table.WordPrefix;
                    patterns.AddRange(list.Select(p => (key, placeholders.Expand(p), prefix)));
                }
            }
            _sets[category] = new PatternSet(patterns, Literals);
        }
        Currency = new PatternSet(Words.CurrencyForms.Select(f => ("currency", Placeholders.Literal(f), "")), Literals);
        _empty = new PatternSet([], Literals);
        Literals.Build();
    }

    /// <summary>The required literals of every pattern; scan a message with it once, then ask any category.</summary>
    public LiteralIndex Literals { get; } = new();

    public static PhraseBook Default => s_default.Value;

    public Words Words { get; }

    /// <summary>Language code and the regex of its letters, in table order ("en" first: the default).</summary>
    public IReadOnlyList<(string Code, Regex Letters)> Languages { get; }

    // Which language a character is a letter of, filled in as characters are met: 0 not yet known, 1 none,
    // 2 + i the language at index i. Races only ever write the same value.
    private readonly byte[] _languageOfChar = new byte[char.MaxValue + 1];

    /// <summary>The index in <see cref="Languages"/> of the language whose letter this is, or -1.</summary>
    public int LanguageOf(char c)
    {
        byte known = _languageOfChar[c];
        if (known == 0)
        {
            known = 1;
            ReadOnlySpan<char> one = [c];
            for (int i = 0; i < Languages.Count && i < 250; i++)
            {
                if (Languages[i].Letters.IsMatch(one))
                {
                    known = (byte)(2 + i);
                    break;
                }
            }
            _languageOfChar[c] = known;
        }
        return known - 2;
    }

    public PatternSet Currency { get; }

    /// <summary>The compiled category; an empty set when no table defines it.</summary>
    public PatternSet this[string category] =>
        _sets.TryGetValue(category, out PatternSet? set) ? set : _empty;

    private readonly PatternSet _empty;

    /// <summary>Compiles tables given as JSON texts (the embedded ones, or others in tests).</summary>
    public static PhraseBook FromJson(IEnumerable<string> tables) =>
        new(Order(tables.Select(json => JsonSerializer.Deserialize<PhraseTable>(json, s_options)
            ?? throw new InvalidOperationException("A phrase table is empty."))));

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private static List<PhraseTable> LoadEmbeddedTables()
    {
        Assembly assembly = typeof(PhraseBook).Assembly;
        var tables = new List<PhraseTable>();
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            tables.Add(JsonSerializer.Deserialize<PhraseTable>(stream, s_options)
                ?? throw new InvalidOperationException($"Phrase table {name} is empty."));
        }
        return Order(tables);
    }

    // English first: it is the fallback language when no letters decide.
    private static List<PhraseTable> Order(IEnumerable<PhraseTable> tables) =>
        tables.OrderBy(t => t.Code == "en" ? 0 : 1).ThenBy(t => t.Code, StringComparer.Ordinal).ToList();
}
