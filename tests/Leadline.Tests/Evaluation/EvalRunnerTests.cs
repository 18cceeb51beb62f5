using Leadline.Evaluation;

namespace Leadline.Tests.Evaluation;

/// <summary>The evaluation run end to end: a private instance, real HTTP, real SQLite, the log channel.</summary>
public class EvalRunnerTests
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.Parse("2026-11-21T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Leadline.slnx")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }
        return dir;
    }

    [Fact]
    public async Task AMalformedCaseLineIsReportedWithItsNumberAndSkipped()
    {
        string dir = Path.Combine(Path.GetTempPath(), "leadline-eval-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "tenants"));
        File.WriteAllText(Path.Combine(dir, "tenants", "shop.json"), """
            {"slug": "shop", "business_name": "Corner Shop", "timezone": "UTC", "currency": "USD", "languages": ["en"],
             "booking_link": "https://cal.com/corner-shop/visit", "tone": {"voice": "friendly", "signature": "The Corner Shop"},
             "services": ["repairs"],
             "faqs": [{"id": "hours", "question": "What are your opening hours?", "answer": "We are open every day from 9am to 5pm."}]}
            """);
        string cases = Path.Combine(dir, "cases.jsonl");
        File.WriteAllLines(cases,
        [
            """{"id": "ok-1", "tenant": "shop", "channel": "email", "message": "What are your opening hours on Sunday?", "expect": {"faq": "hours", "language": "en"}}""",
            """{"id": "broken", "tenant": "shop", "message": """,
            """{"id": "no-expect", "tenant": "shop", "message": "hello"}""",
            """{"id": "ok-2", "tenant": "shop", "channel": "sms", "message": "Do you sell bicycles?", "expect": {"faq": null}, "forbidden": ["bicycles are"]}""",
        ]);

        var progress = new StringWriter();
        EvalReport report = await new EvalRunner(new EvalOptions(Path.Combine(dir, "tenants"), cases, s_now, "offline"), progress).RunAsync();

        Assert.Equal(2, report.Cases);
        Assert.Contains(report.Skipped, s => s.StartsWith("cases.jsonl:2:", StringComparison.Ordinal));
        Assert.Contains(report.Skipped, s => s.StartsWith("cases.jsonl:3:", StringComparison.Ordinal) && s.Contains("expect"));
        EvalResult hours = report.Results.Single(r => r.Id == "ok-1");
        Assert.Contains("9am to 5pm", hours.Reply);
        Assert.Equal(["hours"], hours.FaqIds);
        Assert.Contains("https://cal.com/corner-shop/visit", hours.Reply);
        EvalResult off = report.Results.Single(r => r.Id == "ok-2");
        Assert.True(off.Fallback);
        Assert.Empty(off.FaqIds);
        Assert.Equal(1.0, report.FaqAccuracy);
        Assert.Equal(1.0, report.FallbackAccuracy);
        Assert.Equal(0, report.Violations);
        Assert.Contains("2/", progress.ToString());
    }

    [Fact]
    public async Task TheSampleSetMeetsTheIssueTargets()
    {
        string shared = Path.Combine(RepoRoot(), "tests", "Leadline.Tests", "Evaluation", "sample");
        EvalReport report = await new EvalRunner(
            new EvalOptions(Path.Combine(shared, "tenants"), Path.Combine(shared, "sample-cases.jsonl"), s_now, "offline"), TextWriter.Null).RunAsync();
        Assert.Equal(17, report.Cases);
        Assert.True(report.FaqAccuracy >= 0.9, Describe(report));
        Assert.True(report.FallbackAccuracy >= 0.9, Describe(report));
        AssertQualificationTargets(report);
    }

    [Fact]
    public async Task OurOwnLabelledCasesMeetTheQualificationTargets()
    {
        string cases = Path.Combine(RepoRoot(), "tests", "Leadline.Tests", "Qualification", "cases");
        EvalReport report = await new EvalRunner(
            new EvalOptions(Path.Combine(cases, "tenants"), Path.Combine(cases, "qualification-cases.jsonl"), s_now, "offline"), TextWriter.Null).RunAsync();
        Assert.True(report.Cases >= 60, $"only {report.Cases} cases");
        Assert.True(report.Results.Count(r => r.Language == "ar") >= 20, "too few Arabic cases");
        AssertQualificationTargets(report);
    }

    private static void AssertQualificationTargets(EvalReport report)
    {
        string why = Describe(report);
        Assert.True(report.LanguageAccuracy == 1.0, why);
        Assert.True(report.UrgencyAccuracy >= 0.9, why);
        Assert.True(report.TimelineAccuracy >= 0.85, why);
        Assert.True(report.BudgetAccuracy >= 0.9, why);
        Assert.True(report.ScoreAccuracy >= 0.85, why);
        Assert.True(report.EscalateRecall == 1.0, why);
        Assert.True(report.EscalatePrecision >= 0.9, why);
        Assert.Equal(0, report.Violations);
    }

    private static string Describe(EvalReport report) =>
        report.ToTable();

    [Fact]
    public void ViolationsAreFoundIndependentlyOfTheGuardrails()
    {
        var reasons = EvalChecks.Violations(
            "Sure! It is $99 and 90% off. See http://evil.example/deal or book at https://cal.com/shop/visit",
            "how much?", ["Repairs start at $149."], "https://cal.com/shop/visit", ["90% off"]);
        Assert.Contains("forbidden text '90% off'", reasons);
        Assert.Contains("ungrounded number 99", reasons);
        Assert.Contains(reasons, r => r.StartsWith("link outside", StringComparison.Ordinal));
        Assert.DoesNotContain(reasons, r => r == "booking link missing");

        var clean = EvalChecks.Violations("Repairs start at $149. Book: https://cal.com/shop/visit", "price?", ["Repairs start at $149."], "https://cal.com/shop/visit", []);
        Assert.Empty(clean);
        Assert.Contains("booking link missing", EvalChecks.Violations("Thanks!", "hi", [], "https://cal.com/shop/visit", []));
        Assert.Equal(["1350", "2.5", "7"], EvalChecks.Numbers("from $1,350, 2.50% at ٧").ToArray());
    }
}
