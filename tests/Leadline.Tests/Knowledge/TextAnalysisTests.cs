using Leadline.Knowledge;

namespace Leadline.Tests.Knowledge;

public sealed class TextAnalysisTests
{
    [Theory]
    [InlineData("Do you fix leaking pipes?", "en")]
    [InlineData("كم عمولتكم على بيع الشقق؟", "ar")]
    [InlineData("أبغى شقة في Khobar قريبة من البحر", "ar")]
    [InlineData("Looking for a villa, شكرا", "en")]
    [InlineData("", "en")]
    [InlineData("123 456", "en")]
    public void LanguageIsArabicWhenMostLettersAreArabic(string text, string expected) =>
        Assert.Equal(expected, TextLanguage.Detect(text));

    [Fact]
    public void InflectionsOfAWordShareOneTerm()
    {
        Assert.Equal(Terms.Analyze("cleaning"), Terms.Analyze("cleaned"));
        Assert.Equal(Terms.Analyze("installation"), Terms.Analyze("installed"));
        Assert.Equal(Terms.Analyze("replacement"), Terms.Analyze("replace"));
    }

    [Fact]
    public void ReadingsTheStemmersMissAreTriedAgainstTheFaqsOwnWords()
    {
        HashSet<string> faqWords = Terms.Analyze("Do you fix a broken tooth? Our roof and tank team: commission, installation");
        Assert.Contains("tooth", Terms.Analyze("broken teeth", faqWords));
        Assert.Contains("roof", Terms.Analyze("another roofer", faqWords));
        // Without the FAQs' words nothing is merged: "teeth" and "roofer" stay themselves.
        Assert.DoesNotContain("tooth", Terms.Analyze("broken teeth"));
        Assert.DoesNotContain("roof", Terms.Analyze("another roofer"));

        HashSet<string> arabicFaq = Terms.Analyze("عمولة البيع، التركيب مجاني");
        Assert.True(Terms.Analyze("عمولة").IsSubsetOf(Terms.Analyze("كم عمولتكم؟", arabicFaq)));
        Assert.True(Terms.Analyze("التركيب").IsSubsetOf(Terms.Analyze("موعد لتركيب", arabicFaq)));
    }

    [Fact]
    public void AnArabicPluralAndItsSingularShareOneTerm()
    {
        Assert.Equal(Terms.Analyze("سخان"), Terms.Analyze("سخانات"));
        Assert.Equal(Terms.Analyze("الخزان"), Terms.Analyze("خزانات"));
    }

    [Fact]
    public void WhenAndHowMuchWordsAreLeftToQualification()
    {
        Assert.Empty(Terms.Analyze("Looking for something around next week, budget max in March, asap"));
        Assert.Empty(Terms.Analyze("الميزانية حوالي الأسبوع الجاي"));
    }

    [Fact]
    public void StopwordsNumbersAndLinksAreNotTerms()
    {
        Assert.Empty(Terms.Analyze("Hi! Can you please tell me what it is? 42 https://example.com/x me@example.com"));
    }

    [Fact]
    public void GenericSynonymsShareOneConcept()
    {
        Assert.Equal(Terms.Analyze("price"), Terms.Analyze("how much"));
        Assert.Equal(Terms.Analyze("cost"), Terms.Analyze("charges"));
        Assert.Equal(Terms.Analyze("hours"), Terms.Analyze("open"));
        Assert.Equal(Terms.Analyze("area"), Terms.Analyze("serve"));
    }

    [Fact]
    public void ArabicSpellingVariantsAndTheArticleAreIgnored()
    {
        Assert.Equal(Terms.Analyze("أحجز"), Terms.Analyze("احجز"));
        Assert.Equal(Terms.Analyze("الشقق"), Terms.Analyze("شقق"));
        Assert.Equal(Terms.Analyze("مدرسة"), Terms.Analyze("مدرسه"));
        Assert.Empty(Terms.Analyze("هل في عندكم"));
    }

    [Fact]
    public void MoneyIsRecognisedInAnswers()
    {
        Assert.True(Terms.MentionsMoney("A day pass is $30."));
        Assert.True(Terms.MentionsMoney("Fees start at 500 SAR."));
        Assert.True(Terms.MentionsMoney("السعر 350 دولاراً"));
        Assert.False(Terms.MentionsMoney("Open 24/7, 3 locations."));
    }
}
