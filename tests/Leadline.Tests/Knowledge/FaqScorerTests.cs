using Leadline.Knowledge;

namespace Leadline.Tests.Knowledge;

public sealed class FaqScorerTests
{
    private const double DefaultThreshold = 0.35;
    private static readonly List<Faq> s_faqs = SampleFaqs.AsFaqs();

    private static IReadOnlyList<FaqMatch> Rank(string message) => FaqScorer.Rank(message, s_faqs, s_faqs.Count);

    [Theory]
    [InlineData("Hi, what time do you open on Saturdays?", "hours")]
    [InlineData("What do you charge for a cleaning?", "cleaning_price")]
    [InlineData("Do you take Cigna insurance?", "insurance")]
    [InlineData("Where are you located? Is there parking?", "location")]
    [InlineData("Is it expensive to whiten my teeth?", "whitening")]
    [InlineData("Can my kids come too?", "children")]
    [InlineData("I have severe tooth pain, do you handle emergencies?", "emergency")]
    public void TheFaqTheMessageAsksAboutRanksFirstAboveTheThreshold(string message, string expected)
    {
        var matches = Rank(message);
        Assert.NotEmpty(matches);
        Assert.Equal(expected, matches[0].Faq.Reference);
        Assert.True(matches[0].Confidence >= DefaultThreshold, $"confidence {matches[0].Confidence} for '{message}'");
    }

    [Fact]
    public void RestatingTheQuestionIsMoreConfidentThanNamingOneWordOfIt()
    {
        var exact = Rank("How much does a teeth cleaning cost?");
        var vague = Rank("cleaning");
        Assert.Equal("cleaning_price", exact[0].Faq.Reference);
        Assert.Equal("cleaning_price", vague[0].Faq.Reference);
        Assert.True(exact[0].Confidence > vague[0].Confidence);
        Assert.True(exact[0].Confidence <= 1);
    }

    [Fact]
    public void MatchesAreOrderedByConfidence()
    {
        var matches = Rank("How much is teeth whitening compared to a cleaning?");
        Assert.True(matches.Count >= 2);
        Assert.Equal(matches.OrderByDescending(m => m.Confidence).Select(m => m.Faq.Id), matches.Select(m => m.Faq.Id));
        Assert.All(matches, m => Assert.InRange(m.Confidence, 0, 1));
    }

    [Theory]
    [InlineData("Do you sell electric scooters?")]
    [InlineData("Do you do braces or Invisalign?")]
    [InlineData("I want to talk to a real person please")]
    [InlineData("Hello!")]
    public void AnOffTopicMessageStaysBelowTheThreshold(string message)
    {
        Assert.All(Rank(message), m => Assert.True(m.Confidence < DefaultThreshold, $"{m.Faq.Reference} scored {m.Confidence}"));
    }

    [Theory]
    [InlineData("كم تكلفة تنظيف الأسنان عندكم؟", "cleaning_price")]
    [InlineData("ما هي ساعات العمل يوم السبت؟", "hours")]
    [InlineData("هل عندكم تبييض اسنان؟", "whitening")]
    public void AnArabicMessageMatchesTheArabicTranslation(string message, string expected)
    {
        var matches = Rank(message);
        Assert.Equal(expected, matches[0].Faq.Reference);
        Assert.True(matches[0].Confidence >= DefaultThreshold);
    }

    [Fact]
    public void ATranslationNeverLowersTheScoreOfAnEnglishMessage()
    {
        Faq hours = s_faqs.Single(f => f.Reference == "hours");
        var withoutTranslation = s_faqs.Select(f => f == hours ? f with { Translations = new Dictionary<string, FaqText>() } : f).ToList();
        double with = FaqScorer.Rank("when do you open?", s_faqs, s_faqs.Count)[0].Confidence;
        double without = FaqScorer.Rank("when do you open?", withoutTranslation, withoutTranslation.Count)[0].Confidence;
        Assert.Equal(without, with);
    }

    [Fact]
    public void ExtraCandidatesSharingNoTermDoNotChangeTheRanking()
    {
        // A full-text index may return more rows than the re-score needs; the result must not depend on them.
        const string message = "How much is whitening?";
        var all = FaqScorer.Rank(message, s_faqs, s_faqs.Count, limit: 10);
        var sharing = s_faqs.Where(f => all.Any(m => m.Faq.Id == f.Id)).ToList();
        var partial = FaqScorer.Rank(message, sharing.Concat(s_faqs.Take(2)).Distinct(), s_faqs.Count, limit: 10);
        Assert.Equal(all, partial);
    }

    [Fact]
    public void TagsTheMessageNamesHelpAndOthersCostNothing()
    {
        Faq plain = new(Guid.NewGuid(), "plain", "Do you offer gift cards?", "Gift cards come in any amount.", [], new Dictionary<string, FaqText>());
        Faq tagged = plain with { Id = Guid.NewGuid(), ExternalId = "tagged", Tags = ["voucher", "present"] };
        double Score(Faq faq, string message) => FaqScorer.Rank(message, [faq], 1)[0].Confidence;
        Assert.Equal(Score(plain, "gift cards?"), Score(tagged, "gift cards?"));
        Assert.Empty(FaqScorer.Rank("a voucher?", [plain], 1));
        Assert.NotEmpty(FaqScorer.Rank("a voucher?", [tagged], 1));
    }
}
