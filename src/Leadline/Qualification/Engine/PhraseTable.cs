namespace Leadline.Qualification.Engine;

/// <summary>
/// One language's phrase table, as stored in Qualification/Phrases/{code}.json. Adding a language means adding a
/// file: the engine merges every table and runs all of them on every message, so mixed-language messages work.
/// </summary>
internal sealed class PhraseTable
{
    public string Code { get; init; } = "";

    /// <summary>A character class of this language's letters, to tell which language most letters belong to.</summary>
    public string Letters { get; init; } = "";

    /// <summary>Clitics that may stick to the front of any phrase (Arabic و ف ب ل ك).</summary>
    public string WordPrefix { get; init; } = "";

    /// <summary>Categories whose phrases take no clitic prefix: Arabic "لما" (when) and "ولا" (or) are no negations.</summary>
    public string[] NoPrefix { get; init; } = [];

    public Lexicon Lexicon { get; init; } = new();

    /// <summary>Category → key → regex patterns. The key "blocked" lists spans that cancel the category's hits.</summary>
    public Dictionary<string, Dictionary<string, string[]>> Phrases { get; init; } = [];
}

/// <summary>Words the engine looks up by meaning (numbers, units, dates, currencies, places) rather than matches.</summary>
internal sealed class Lexicon
{
    public Dictionary<string, decimal> Numbers { get; init; } = [];
    public Dictionary<string, decimal> Multipliers { get; init; } = [];

    /// <summary>Multipliers that count only when they touch the digits ("5k", not "5 k").</summary>
    public string[] Suffixes { get; init; } = [];
    /// <summary>Fractions of the scale around them: "half a million", "نص مليون", "مليون وربع".</summary>
    public Dictionary<string, decimal> Fractions { get; init; } = [];
    public string[] And { get; init; } = [];
    public string[] Articles { get; init; } = [];
    public Dictionary<string, decimal> Few { get; init; } = [];
    public string[] CountJoins { get; init; } = [];

    /// <summary>Unit → forms; "week*2" marks forms that carry their own count (fortnight, Arabic duals).</summary>
    public Dictionary<string, string[]> Units { get; init; } = [];

    /// <summary>DayOfWeek name → forms. A form starting with "!" needs a cue word ("on", "by") to count.</summary>
    public Dictionary<string, string[]> Weekdays { get; init; } = [];

    /// <summary>Twelve lists, January first; "!" as for weekdays ("!may", "!march").</summary>
    public string[][] Months { get; init; } = [];

    /// <summary>Twelve lists, Muharram first; dated with the Umm al-Qura calendar.</summary>
    public string[][] HijriMonths { get; init; } = [];
    public Dictionary<string, string[]> Seasons { get; init; } = [];

    /// <summary>Form → ISO codes; the tenant's currency wins when it is among them ("$" for a CAD tenant).</summary>
    public Dictionary<string, string[]> Currencies { get; init; } = [];
    public string[] Places { get; init; } = [];
    public string[] NotPlaces { get; init; } = [];
    public Dictionary<string, string> Synonyms { get; init; } = [];
    public string[] Stopwords { get; init; } = [];
    public string[] GenericServiceWords { get; init; } = [];
}
