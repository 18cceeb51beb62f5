using System.Text.Json.Nodes;
using Leadline.Qualification;
using Leadline.Qualification.Engine;

namespace Leadline.Tests.Qualification;

/// <summary>The rules live in the phrase tables: they must be well formed, and a new language must need no code.</summary>
public class PhraseTableTests
{
    private static readonly string[] s_categories =
    [
        "clauseBreak", "negation", "capability", "hoursQuestion", "timeline", "emergency", "person", "complaint", "request",
        "decisionMaker", "location", "budget", "budgetQualifier", "budgetRange", "budgetQuantity", "budgetPeriod",
    ];

    private static readonly string[] s_timelineKeys =
    [
        "asap", "this_week", "next_week", "this_month", "1_3_months", "3_plus_months", "offset", "weekday", "weekday_next", "month",
        "month_after", "hijri", "hijri_after", "season", "season_next", "day_of_month", "year", "year_end", "blocked",
    ];

    private static List<string> EmbeddedTables()
    {
        var assembly = typeof(Qualifier).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Leadline.Qualification.Phrases.", StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            })
            .ToList();
    }

    [Fact]
    public void EnglishAndArabicTablesAreEmbedded()
    {
        var codes = EmbeddedTables().Select(t => (string)JsonNode.Parse(t)!["code"]!).Order().ToList();
        Assert.Equal(["ar", "en"], codes);
    }

    [Fact]
    public void EveryTableUsesOnlyCategoriesAndTimelineKindsTheEngineKnows()
    {
        foreach (string json in EmbeddedTables())
        {
            JsonObject phrases = JsonNode.Parse(json)!["phrases"]!.AsObject();
            Assert.All(phrases, p => Assert.Contains(p.Key, s_categories));
            Assert.All(phrases["timeline"]!.AsObject(), k => Assert.Contains(k.Key, s_timelineKeys));
        }
    }

    [Fact]
    public void ANewLanguageIsOnlyATable()
    {
        const string french = """
            {
              "code": "fr",
              "letters": "[A-Za-zàâçéèêëîïôûùüÿœ]",
              "lexicon": {
                "numbers": { "deux": 2, "trois": 3 },
                "units": { "week": ["semaine", "semaines"] },
                "currencies": { "€": ["EUR"], "euros": ["EUR"] }
              },
              "phrases": {
                "timeline": { "this_week": ["demain"], "offset": ["dans {COUNT} {UNIT}"] },
                "emergency": { "reported": ["fuite importante", "inondation"] },
                "person": { "person": ["parler (?:à|a) (?:un|une) (?:humain|conseiller|conseillère)"] },
                "budget": { "cue": ["budget"] },
                "budgetQualifier": { "max": ["jusqu'à"] }
              }
            }
            """;
        PhraseBook book = PhraseBook.FromJson([.. EmbeddedTables(), french]);
        var context = new QualifierContext(QualificationKit.ChicagoNow, "EUR", ["plomberie"]);

        QualificationResult tomorrow = Qualifier.Extract("J'ai besoin d'un plombier demain, budget jusqu'à 500 euros", context, book);
        Assert.Equal(Timeline.ThisWeek, tomorrow.Timeline);
        Assert.Equal(new Budget(null, 500, "EUR"), tomorrow.Budget);
        Assert.Equal(Score.Hot, tomorrow.Score);

        QualificationResult later = Qualifier.Extract("Je voudrais parler à un conseiller, c'est pour dans trois semaines", context, book);
        Assert.Equal(Timeline.ThisMonth, later.Timeline);
        Assert.True(later.Escalate);
        Assert.Equal("en", Qualifier.Extract("hello", context, book).Language);
    }
}
