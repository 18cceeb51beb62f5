using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Leadline.Knowledge;

/// <summary>
/// Turns text into the content terms retrieval compares: lower-cased words without stopwords, stemmed (Porter for
/// Latin script, light10 for Arabic), with a few generic synonyms folded into one concept ("cost", "fee" and
/// "how much" all become <c>~price</c>). The same analysis runs on messages and FAQs, on both databases.
/// </summary>
public static partial class Terms
{
    // Generic groups only: words that leads and businesses use for the same thing in any trade.
    private static readonly (string Concept, string[] Words)[] s_synonyms =
    [
        ("~price", ["price", "prices", "pricing", "cost", "costs", "charge", "charges", "fee", "fees", "rate", "rates", "سعر", "اسعار", "تكلفة", "رسوم", "ثمن", "بكم"]),
        ("~hours", ["hours", "hour", "open", "opening", "close", "closing", "time", "ساعات", "دوام"]),
        ("~area", ["area", "areas", "serve", "serving", "location", "located", "cover", "region", "neighborhood", "neighbourhood", "مناطق", "منطقة", "موقع"]),
        ("~booking", ["book", "booking", "appointment", "schedule", "reserve", "reservation", "حجز", "احجز", "موعد"]),
        ("~visit", ["tour", "tours", "visit", "visits", "viewing", "viewings", "showing", "showings", "معاينة", "زيارة"]),
        ("~estimate", ["estimate", "estimates", "quote", "quotes", "quotation"]),
        ("~financing", ["financing", "finance", "loan", "loans", "mortgage", "تمويل"]),
        ("~warranty", ["warranty", "guarantee", "guaranteed"]),
        ("~discount", ["discount", "discounts", "deal", "deals", "promotion", "promo", "coupon"]),
        ("~children", ["child", "children", "kid", "kids"]),
        ("~pets", ["pet", "pets", "dog", "dogs", "cat", "cats", "animal", "animals"]),
        ("~emergency", ["emergency", "emergencies"]),
    ];

    // Phrases whose words are stopwords on their own but mean a concept together.
    private static readonly (string Phrase, string Word)[] s_phrases = [("how much", "price"), ("openings", "availability")];

    private static readonly Dictionary<string, string> s_conceptOfStem = BuildConcepts();

    /// <summary>How many distinct content words of a message go into a full-text query.</summary>
    public const int MaxQueryWords = 100;

    /// <summary>The concept of price questions; an answer that states an amount of money is about it too.</summary>
    public const string PriceConcept = "~price";

    /// <summary>True when <paramref name="text"/> states an amount of money ("$149", "30 USD", "120 دولاراً").</summary>
    public static bool MentionsMoney(string text) => Money().IsMatch(text);

    [GeneratedRegex(@"[$€£¥₹]\s?\d|\d\s?(?:usd|eur|gbp|sar|aed|qar|kwd|egp|dollars?|euros?|pounds?|riyals?|dirhams?)\b|\d\s?(?:ريال|دولار|درهم|جنيه)", RegexOptions.IgnoreCase)]
    private static partial Regex Money();

    // Links and e-mail addresses in a message are not what the lead asks about.
    [GeneratedRegex(@"https?://\S+|www\.\S+|\S+@\S+", RegexOptions.IgnoreCase)]
    private static partial Regex LinksAndEmails();

    /// <summary>True for a concept term such as <c>~price</c>, the form a synonym group takes after analysis.</summary>
    public static bool IsConcept(string term) => s_synonyms.Any(s => s.Concept == term);

    /// <summary>The words of a concept's synonym group (empty for an unknown concept), for a full-text query.</summary>
    public static IReadOnlyList<string> ConceptWords(string concept) =>
        s_synonyms.FirstOrDefault(s => s.Concept == concept).Words ?? [];

    /// <summary>The distinct content terms of <paramref name="text"/>.</summary>
    /// <remarks>
    /// With a <paramref name="vocabulary"/> (the terms of the FAQs being searched), a word whose usual term is not in
    /// it may take another reading that is: "teeth" reads as "tooth", "roofer" as "roof", "عمولتكم" as "عمولة",
    /// "لتركيب" as "تركيب". The usual stemmers leave these apart; trying them only against the FAQs' own words keeps
    /// the extra readings from merging words elsewhere.
    /// </remarks>
    public static HashSet<string> Analyze(string? text, IReadOnlySet<string>? vocabulary = null) =>
        new(Sequence(text, vocabulary), StringComparer.Ordinal);

    private static IEnumerable<string> Sequence(string? text, IReadOnlySet<string>? vocabulary)
    {
        foreach (string word in Words(text))
        {
            if (Term(word) is not { } term)
            {
                continue;
            }
            if (vocabulary is not null && !vocabulary.Contains(term))
            {
                term = Alternatives(word).Select(Concept).FirstOrDefault(vocabulary.Contains) ?? term;
            }
            yield return term;
        }
    }

    // Plurals the stemmer cannot undo; read as their singular only when the FAQs use the singular.
    private static readonly Dictionary<string, string> s_irregularPlurals = new(StringComparer.Ordinal)
    {
        ["teeth"] = "tooth", ["feet"] = "foot", ["people"] = "person", ["men"] = "man", ["women"] = "woman",
        ["mice"] = "mouse", ["geese"] = "goose", ["knives"] = "knife", ["leaves"] = "leaf", ["shelves"] = "shelf",
        ["wives"] = "wife", ["lives"] = "life", ["halves"] = "half",
    };

    // Arabic attached pronouns ("their", "your", "our", "my") and the one-letter prefixes "with", "for", "so", "like", "and".
    private static readonly string[] s_arabicPronouns = ["كما", "هما", "كم", "هم", "كن", "هن", "نا", "ها", "ك", "ه", "ي"];
    private static readonly char[] s_arabicProclitics = ['ب', 'ل', 'ف', 'ك', 'و'];

    /// <summary>Other stems <paramref name="word"/> may stand for, most likely first (see <see cref="Analyze"/>).</summary>
    private static IEnumerable<string> Alternatives(string word)
    {
        if (TextLanguage.IsArabic(word[0]))
        {
            string normal = ArabicStemmer.Normalize(word);
            var forms = new List<string> { normal };
            if (normal.Length >= 4 && s_arabicProclitics.Contains(normal[0]))
            {
                forms.Add(normal[1..]);
            }
            foreach (string form in forms.ToList())
            {
                foreach (string pronoun in s_arabicPronouns)
                {
                    if (form.Length - pronoun.Length >= 3 && form.EndsWith(pronoun, StringComparison.Ordinal))
                    {
                        string bare = form[..^pronoun.Length];
                        forms.Add(bare);
                        // A feminine noun shows its ة as ت before a pronoun: عمولتكم is عمولة + كم.
                        if (bare[^1] == 'ت')
                        {
                            forms.Add(bare[..^1] + "ه");
                        }
                        break;
                    }
                }
            }
            foreach (string form in forms.Skip(1))
            {
                if (Stem(form) is { } stem)
                {
                    yield return stem;
                }
            }
            yield break;
        }
        if (s_irregularPlurals.TryGetValue(word, out string? singular) && Stem(singular) is { } singularStem)
        {
            yield return singularStem;
        }
        // The one who does a thing, read as the thing: roofer -> roof, plumber -> plumb(ing), cleaners -> clean.
        foreach (string ending in (string[])["ers", "er"])
        {
            if (word.Length - ending.Length >= 4 && word.EndsWith(ending, StringComparison.Ordinal) && Stem(word[..^ending.Length]) is { } agentStem)
            {
                yield return agentStem;
                break;
            }
        }
    }

    private static string Concept(string stem) => s_conceptOfStem.GetValueOrDefault(stem, stem);

    /// <summary>
    /// The words to look up in a full-text index for <paramref name="text"/>: each content word, its stem as a
    /// prefix, and the other words of its synonym group, so the index finds every FAQ the re-score can match.
    /// </summary>
    public static IReadOnlyList<(string Word, bool Prefix)> QueryWords(string? text)
    {
        var words = new List<(string, bool)>();
        var seen = new HashSet<(string, bool)>();
        void Add(string word, bool prefix)
        {
            if (word.Length >= (prefix ? 3 : 2) && seen.Add((word, prefix)))
            {
                words.Add((word, prefix));
            }
        }
        var contentWords = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in Words(text))
        {
            // A bounded query keeps a 10,000-character message cheap; a question never needs this many words.
            if (Stem(word) is not { } stem || (!contentWords.Contains(word) && contentWords.Count >= MaxQueryWords))
            {
                continue;
            }
            contentWords.Add(word);
            Add(word, false);
            Add(stem, true);
            if (!TextLanguage.IsArabic(word[0]))
            {
                foreach (string alternative in Alternatives(word))
                {
                    Add(alternative, true);
                }
            }
            if (s_conceptOfStem.TryGetValue(stem, out string? concept))
            {
                foreach (string synonym in s_synonyms.First(s => s.Concept == concept).Words)
                {
                    Add(synonym, false);
                }
            }
        }
        return words;
    }

    private static string? Term(string word) => Stem(word) is { } stem ? Concept(stem) : null;

    /// <summary>The stem of a content word; null for stopwords, numbers and single letters.</summary>
    private static string? Stem(string word)
    {
        if (word.All(char.IsDigit))
        {
            return null;
        }
        if (TextLanguage.IsArabic(word[0]))
        {
            string normal = ArabicStemmer.Normalize(word);
            if (normal.Length < 2 || Stopwords.Arabic.Contains(normal))
            {
                return null;
            }
            string stem = ArabicStemmer.Stem(normal);
            return Stopwords.Arabic.Contains(stem) ? null : stem;
        }
        if (word.Length < 2 || Stopwords.English.Contains(word))
        {
            return null;
        }
        return PorterStemmer.Stem(word);
    }

    /// <summary>Lower-case words: runs of letters and digits, with accents and Arabic diacritics removed.</summary>
    private static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }
        string lower = LinksAndEmails().Replace(text, " ").ToLowerInvariant().Replace("’", "'").Replace("'", "");
        foreach (var (phrase, word) in s_phrases)
        {
            lower = lower.Replace(phrase, word, StringComparison.Ordinal);
        }
        string plain = RemoveMarks(lower);
        var current = new StringBuilder();
        foreach (char c in plain)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static string RemoveMarks(string text)
    {
        string decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c != 'ـ')
            {
                sb.Append(c);
            }
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static Dictionary<string, string> BuildConcepts()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (concept, words) in s_synonyms)
        {
            foreach (string word in words)
            {
                if (Stem(word) is { } stem)
                {
                    map[stem] = concept;
                }
            }
        }
        return map;
    }
}
