namespace Leadline.Qualification.Engine;

/// <summary>The merged lexicons as look-up tables, keyed by <see cref="TextFolding.Key"/>.</summary>
internal sealed class Words
{
    public Words(IReadOnlyList<Lexicon> lexicons)
    {
        foreach (Lexicon l in lexicons)
        {
            AddAll(Numbers, l.Numbers);
            AddAll(Multipliers, l.Multipliers);
            AddAll(Few, l.Few);
            AddAll(Suffixes, l.Suffixes);
            AddAll(Fractions, l.Fractions);
            AddAll(And, l.And);
            AddAll(Articles, l.Articles);
            foreach ((string unit, string[] forms) in l.Units)
            {
                // "week*2": a form that already means two weeks (fortnight, أسبوعين).
                string[] parts = unit.Split('*');
                decimal count = parts.Length > 1 ? decimal.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
                foreach (string form in forms)
                {
                    Units[TextFolding.Key(form)] = (parts[0], count);
                }
            }
            foreach ((string day, string[] forms) in l.Weekdays)
            {
                AddForms(Weekdays, forms, Enum.Parse<DayOfWeek>(day, ignoreCase: true));
            }
            for (int m = 0; m < l.Months.Length; m++)
            {
                AddForms(Months, l.Months[m], m + 1);
            }
            for (int m = 0; m < l.HijriMonths.Length; m++)
            {
                AddForms(HijriMonths, l.HijriMonths[m], m + 1);
            }
            foreach ((string season, string[] forms) in l.Seasons)
            {
                AddForms(Seasons, forms, season);
            }
            foreach ((string form, string[] codes) in l.Currencies)
            {
                Currencies[TextFolding.Key(form)] = codes;
                CurrencyForms.Add(form);
            }
            AddAll(Places, l.Places);
            AddAll(NotPlaces, l.NotPlaces);
            AddAll(Stopwords, l.Stopwords);
            AddAll(GenericServiceWords, l.GenericServiceWords);
            foreach ((string word, string meaning) in l.Synonyms)
            {
                Synonyms[TextFolding.Key(word)] = TextFolding.Key(meaning);
            }
        }
    }

    public Dictionary<string, decimal> Numbers { get; } = [];
    public Dictionary<string, decimal> Multipliers { get; } = [];
    public Dictionary<string, decimal> Few { get; } = [];
    public HashSet<string> Suffixes { get; } = [];
    public Dictionary<string, decimal> Fractions { get; } = [];
    public HashSet<string> And { get; } = [];
    public HashSet<string> Articles { get; } = [];
    public Dictionary<string, (string Unit, decimal Count)> Units { get; } = [];
    public Dictionary<string, DayOfWeek> Weekdays { get; } = [];
    public Dictionary<string, int> Months { get; } = [];
    public Dictionary<string, int> HijriMonths { get; } = [];
    public Dictionary<string, string> Seasons { get; } = [];
    public Dictionary<string, string[]> Currencies { get; } = [];
    public List<string> CurrencyForms { get; } = [];
    public HashSet<string> Places { get; } = [];
    public HashSet<string> NotPlaces { get; } = [];
    public HashSet<string> Stopwords { get; } = [];
    public HashSet<string> GenericServiceWords { get; } = [];
    public Dictionary<string, string> Synonyms { get; } = [];

    /// <summary>The value of a {COUNT} group: digits, a number word, "a", "a few", "a couple of"; null when unreadable.</summary>
    public decimal? Count(string text)
    {
        string key = TextFolding.Key(text);
        if (decimal.TryParse(key, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out decimal n))
        {
            return n;
        }
        if (Numbers.TryGetValue(key, out n) || Few.TryGetValue(key, out n))
        {
            return n;
        }
        return Articles.Contains(key) ? 1 : null;
    }

    /// <summary>Words that follow "in" but are no place: months, weekdays, seasons, "ASAP", "and"...</summary>
    public bool IsNotPlace(string key) =>
        NotPlaces.Contains(key) || Stopwords.Contains(key) || Months.ContainsKey(key) || Weekdays.ContainsKey(key) || Seasons.ContainsKey(key);

    private static void AddAll(HashSet<string> set, IEnumerable<string> words)
    {
        foreach (string w in words)
        {
            set.Add(TextFolding.Key(w.TrimStart('!')));
        }
    }

    private static void AddAll(Dictionary<string, decimal> map, Dictionary<string, decimal> words)
    {
        foreach ((string w, decimal v) in words)
        {
            map[TextFolding.Key(w)] = v;
        }
    }

    private static void AddForms<T>(Dictionary<string, T> map, IEnumerable<string> forms, T value)
    {
        foreach (string form in forms)
        {
            map[TextFolding.Key(form.TrimStart('!'))] = value;
        }
    }
}
