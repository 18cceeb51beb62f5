using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Language, service, decision maker and location.</summary>
public class LeadFactsTests
{
    [Theory]
    [InlineData("Do you install tankless water heaters?", "en")]
    [InlineData("السلام عليكم، كم عمولتكم على بيع الشقق؟", "ar")]
    [InlineData("أبي شقة في Dubai Marina ميزانيتي مليون", "ar")]
    [InlineData("Need a villa in الخبر, budget 2m", "en")]
    [InlineData("١٢٣٤", "en")]
    public void TheLanguageIsTheOneMostLettersBelongTo(string message, string expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message).Language);

    [Theory]
    [InlineData("Our water heater died, we need a new one installed", "water heater installation")]
    [InlineData("The kitchen drain is clogged", "drain cleaning")]
    [InlineData("There's a leak under the sink", "leak repair")]
    [InlineData("Can you do a camera inspection of the sewer?", "sewer camera inspection")]
    [InlineData("What are your opening hours?", null)]
    public void TheServiceIsTheTenantServiceWithTheMostWordsInCommon(string message, string? expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message).Service);

    [Theory]
    [InlineData("I want to buy an apartment in Dammam", "apartment sales")]
    [InlineData("أبي أشتري فيلا في الخبر", "villa sales")]
    [InlineData("أبحث عن شقة للإيجار", "rentals")]
    [InlineData("Can you help with mortgage pre-approval?", "mortgage pre-approval")]
    public void ServicesMatchAcrossLanguagesAndWordForms(string message, string expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message, "SAR", QualificationKit.RealtyServices).Service);

    [Theory]
    [InlineData("I'm the owner of the property", true)]
    [InlineData("I'm the decision maker here", true)]
    [InlineData("I decide, my husband doesn't care", true)]
    [InlineData("I need to check with my wife first", false)]
    [InlineData("I'll have to run it by my boss", false)]
    [InlineData("I'm the owner but I need to check with my partner", false)]
    [InlineData("أنا صاحب البيت", true)]
    [InlineData("القرار قراري", true)]
    [InlineData("لازم أشاور زوجتي", false)]
    [InlineData("Do you install fixtures?", null)]
    public void TheDecisionMakerIsKnownOnlyWhenStated(string message, bool? expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message).DecisionMaker);

    [Theory]
    [InlineData("I am looking to buy an apartment in Dammam, budget around 800,000 SAR.", "Dammam")]
    [InlineData("We're in Oak Park and need a leak fixed", "Oak Park")]
    [InlineData("Looking for a flat in Dubai Marina", "Dubai Marina")]
    [InlineData("I live in evanston", "evanston")]
    [InlineData("أبغى أشوف فيلا في الخبر هذا الأسبوع", "الخبر")]
    [InlineData("أبي شقة بالرياض", "الرياض")]
    [InlineData("شقة في حي النرجس", "النرجس")]
    [InlineData("Looking to move in January", null)]
    [InlineData("I'm interested in Apartment Sales", null)]
    [InlineData("Can you come in the morning?", null)]
    public void TheLocationIsThePlaceNamed(string message, string? expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message, "SAR", QualificationKit.RealtyServices).Location);

    [Fact]
    public void EveryFactCarriesTheExactWordsThatCausedIt()
    {
        QualificationResult r = QualificationKit.Extract(
            "Burst pipe in Evanston! I'm the owner, budget up to $3,500. Can you come TODAY? I want to talk to a real person.");
        Assert.Contains(new Evidence("timeline", "asap", "TODAY"), r.Evidence);
        Assert.Contains(new Evidence("urgency", "high", "Burst pipe"), r.Evidence);
        Assert.Contains(new Evidence("budget", "..3500 USD", "budget up to $3,500"), r.Evidence);
        Assert.Contains(new Evidence("escalate", "person_requested", "talk to a real person"), r.Evidence);
        Assert.Contains(new Evidence("decision_maker", "true", "I'm the owner"), r.Evidence);
        Assert.Contains(new Evidence("location", "Evanston", "in Evanston"), r.Evidence);
        Assert.Equal(Score.Hot, r.Score);
    }
}
