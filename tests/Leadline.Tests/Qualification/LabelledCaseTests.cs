using System.Globalization;
using System.Text.Json.Nodes;
using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>
/// Runs labelled cases in the evaluation format (PRODUCT.md section 6) through the extractor and compares every
/// qualification field: the public samples, and our own cases under cases/ (other tenants, a third in Arabic).
/// </summary>
public class LabelledCaseTests
{
    private const string SampleCases = "tests/Leadline.Tests/Evaluation/sample/sample-cases.jsonl";
    private const string SampleTenants = "tests/Leadline.Tests/Evaluation/sample/tenants";
    private const string OwnCases = "tests/Leadline.Tests/Qualification/cases/qualification-cases.jsonl";
    private const string OwnTenants = "tests/Leadline.Tests/Qualification/cases/tenants";

    [Fact]
    public void AllSeventeenSampleCasesMatchOnUrgencyTimelineBudgetEscalateScoreAndLanguage()
    {
        List<JsonNode> cases = ReadCases(SampleCases);
        Assert.Equal(17, cases.Count);
        AssertAllMatch(cases, ReadTenants(SampleTenants));
    }

    [Fact]
    public void OurOwnLabelledCasesAllMatch()
    {
        List<JsonNode> cases = ReadCases(OwnCases);
        Assert.True(cases.Count >= 60, $"only {cases.Count} own cases");
        AssertAllMatch(cases, ReadTenants(OwnTenants));
    }

    [Fact]
    public void OurOwnCasesSpanSeveralTenantsAndAboutAThirdAreArabic()
    {
        List<JsonNode> cases = ReadCases(OwnCases);
        var tenants = ReadTenants(OwnTenants);
        int arabic = cases.Count(c => (string?)c["expect"]!["language"] == "ar");
        Assert.True(arabic * 10 >= cases.Count * 3, $"{arabic} of {cases.Count} cases are Arabic");
        Assert.True(cases.Select(c => (string)c["tenant"]!).Distinct().Count() >= 4);
        Assert.All(cases, c => Assert.True(tenants.ContainsKey((string)c["tenant"]!), $"case {c["id"]} names an unknown tenant"));
        Assert.Equal(cases.Count, cases.Select(c => (string)c["id"]!).Distinct().Count());
    }

    private static void AssertAllMatch(List<JsonNode> cases, Dictionary<string, JsonNode> tenants)
    {
        var failures = new List<string>();
        foreach (JsonNode c in cases)
        {
            JsonNode tenant = tenants[(string)c["tenant"]!];
            var zone = TimeZoneInfo.FindSystemTimeZoneById((string)tenant["timezone"]!);
            var context = new QualifierContext(
                TimeZoneInfo.ConvertTime(QualificationKit.EvaluationNow, zone),
                (string)tenant["currency"]!,
                tenant["services"]!.AsArray().Select(s => (string)s!).ToList());
            QualificationResult r = Qualifier.Extract((string)c["message"]!, context);
            JsonNode expect = c["expect"]!;
            Compare(failures, c, "language", (string)expect["language"]!, r.Language);
            Compare(failures, c, "urgency", (string)expect["urgency"]!, r.Urgency.ToCode());
            Compare(failures, c, "timeline", (string)expect["timeline"]!, r.Timeline.ToCode());
            Compare(failures, c, "budget", Describe(expect["budget"]), Describe(r.Budget));
            Compare(failures, c, "escalate", ((bool)expect["escalate"]!).ToString(), r.Escalate.ToString());
            Compare(failures, c, "score", (string)expect["score"]!, r.Score.ToCode());
        }
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n" + string.Join("\n", failures));
    }

    private static void Compare(List<string> failures, JsonNode c, string field, string expected, string actual)
    {
        if (expected != actual)
        {
            failures.Add($"{c["id"]} {field}: expected {expected}, got {actual} ({c["message"]})");
        }
    }

    private static string Describe(JsonNode? budget) => budget is null
        ? "null"
        : Describe(new Budget((decimal?)budget["min"], (decimal?)budget["max"], (string)budget["currency"]!));

    private static string Describe(Budget? b) => b is null
        ? "null"
        : string.Create(CultureInfo.InvariantCulture, $"{b.Min:0.##}..{b.Max:0.##} {b.Currency}");

    private static List<JsonNode> ReadCases(string relative) =>
        File.ReadAllLines(QualificationKit.FromRepoRoot(relative))
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonNode.Parse(line)!)
            .ToList();

    private static Dictionary<string, JsonNode> ReadTenants(string relative) =>
        Directory.GetFiles(QualificationKit.FromRepoRoot(relative), "*.json")
            .Select(path => JsonNode.Parse(File.ReadAllText(path))!)
            .ToDictionary(t => (string)t["slug"]!);
}
