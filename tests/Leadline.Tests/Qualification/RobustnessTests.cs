using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Whatever a lead sends, the extractor answers: no exception, the plain defaults when nothing is stated.</summary>
public class RobustnessTests
{
    public static TheoryData<string> OddMessages() =>
    [
        "",
        "   \n\t ",
        "؟؟؟!!!",
        "🔥🔥🔥",
        "ـــــ",
        "hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred",
        "budget 99999999999999999999999999999999999 billion billion",
        "999,999,999,999,999,999,999 dollars",
        "(((((( [[[[ \\ $$$ ))))",
        "in in in in in the the the next next next",
        new string('a', 20_000),
        string.Concat(Enumerable.Repeat("أبي سباك بكرة ميزانيتي ٥٠٠ ألف ", 500)),
    ];

    [Theory]
    [MemberData(nameof(OddMessages))]
    public void OddMessagesGetAnAnswer(string message)
    {
        QualificationResult r = QualificationKit.Extract(message);
        Assert.NotNull(r.Language);
        Assert.NotNull(r.Evidence);
    }

    [Fact]
    public void AnEmptyMessageStatesNothing()
    {
        QualificationResult r = QualificationKit.Extract("");
        Assert.Equal(Timeline.Unknown, r.Timeline);
        Assert.Equal(Urgency.Low, r.Urgency);
        Assert.Null(r.Budget);
        Assert.False(r.Escalate);
        Assert.Equal(Score.Cold, r.Score);
        Assert.Equal("en", r.Language);
        Assert.Null(r.Service);
        Assert.Null(r.DecisionMaker);
        Assert.Null(r.Location);
        Assert.Empty(r.Evidence);
    }

    [Fact]
    public void WireCodesAreTheOnesOfTheSpecification()
    {
        QualificationResult r = QualificationKit.Extract("Within 2 months, budget up to $3,500. I want a refund.");
        string json = System.Text.Json.JsonSerializer.Serialize(r, Json.Options);
        Assert.Contains("\"timeline\":\"1_3_months\"", json, StringComparison.Ordinal);
        Assert.Contains("\"urgency\":\"medium\"", json, StringComparison.Ordinal);
        Assert.Contains("\"score\":\"COLD\"", json, StringComparison.Ordinal);
        Assert.Contains("\"escalate_reason\":\"complaint\"", json, StringComparison.Ordinal);
        Assert.Contains("\"budget\":{\"min\":null,\"max\":3500,\"currency\":\"USD\"}", json, StringComparison.Ordinal);
        Assert.Equal("3_plus_months", Timeline.ThreePlusMonths.ToCode());
        Assert.Equal("HOT", Score.Hot.ToCode());
        Assert.Equal("person_requested", EscalateReason.PersonRequested.ToCode());
    }
}
