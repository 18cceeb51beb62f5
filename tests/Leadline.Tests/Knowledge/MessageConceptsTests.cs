using Leadline.Knowledge;
using Leadline.Qualification;

namespace Leadline.Tests.Knowledge;

public sealed class MessageConceptsTests
{
    private static readonly List<Faq> s_faqs = SampleFaqs.AsFaqs();

    private static QualificationResult Extract(string message) =>
        Qualifier.Extract(message, new QualifierContext(new DateTimeOffset(2026, 11, 21, 15, 0, 0, TimeSpan.Zero), "USD", []));

    [Fact]
    public void AReportedEmergencyBecomesTheEmergencyConcept()
    {
        Assert.Contains("~emergency", MessageConcepts.Of(Extract("My face is swollen and it really hurts, please call me back")));
    }

    [Fact]
    public void ARequestForAViewingBecomesTheVisitConceptButATechnicianVisitDoesNot()
    {
        Assert.Contains("~visit", MessageConcepts.Of(Extract("Can I see the apartment tomorrow?")));
        Assert.DoesNotContain("~visit", MessageConcepts.Of(Extract("Can you send someone out to look at my sink?")));
    }

    [Fact]
    public void AnEmergencyKnownFromQualificationFindsTheEmergencyFaqTheWordsAloneMiss()
    {
        const string message = "My face is swollen on one side and I can't sleep";
        var without = FaqScorer.Rank(message, s_faqs, s_faqs.Count);
        var with = FaqScorer.Rank(message, s_faqs, s_faqs.Count, concepts: ["~emergency"]);
        Assert.True(without.Count == 0 || without[0].Confidence < 0.35);
        Assert.Equal("emergency", with[0].Faq.Reference);
        Assert.True(with[0].Confidence >= 0.35, $"confidence {with[0].Confidence}");
    }

    [Fact]
    public void UnknownConceptsAreIgnored()
    {
        Assert.Empty(FaqScorer.Rank("zzz", s_faqs, s_faqs.Count, concepts: ["~nothing", "plain"]));
    }
}
