using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Urgency: high for asap or this week or a reported emergency, medium within three months, else low.</summary>
public class UrgencyTests
{
    [Theory]
    [InlineData("My pipe burst in the basement")]
    [InlineData("Burst pipe in the kitchen, water everywhere")]
    [InlineData("The basement is flooded")]
    [InlineData("Sewage is backing up into the shower")]
    [InlineData("No hot water at all since yesterday")]
    [InlineData("The leak is pouring through the ceiling")]
    [InlineData("I smell gas near the water heater")]
    [InlineData("I'm in severe pain, my molar")]
    [InlineData("My jaw is swollen")]
    [InlineData("I broke my tooth on a popcorn kernel")]
    [InlineData("My gum keeps bleeding after the extraction")]
    public void AReportedEmergencyIsHighUrgencyWithoutATimeline(string message)
    {
        QualificationResult r = QualificationKit.Extract(message);
        Assert.Equal(Urgency.High, r.Urgency);
        Assert.True(r.EmergencyReported);
        Assert.Equal(Score.Hot, r.Score);
    }

    [Theory]
    [InlineData("عندي انفجار ماسورة في المطبخ")]
    [InlineData("تسريب قوي تحت المغسلة")]
    [InlineData("فيه فيضان في السرداب")]
    [InlineData("طفح المجاري في الحمام")]
    [InlineData("ما فيه ماء حار من أمس")]
    [InlineData("عندي ألم شديد في ضرسي")]
    [InlineData("عندي تورم في الخد")]
    [InlineData("عندي سن مكسور")]
    public void ArabicEmergencyReportsAreHighUrgency(string message) =>
        Assert.Equal(Urgency.High, QualificationKit.Extract(message).Urgency);

    [Theory]
    [InlineData("Do you handle burst pipes?")]
    [InlineData("What if I have an emergency on a Sunday night?")]
    [InlineData("Do you offer emergency service for flooding?")]
    [InlineData("In case of a sewage backup, how fast can you respond?")]
    [InlineData("هل تتعاملون مع انفجار المواسير؟")]
    [InlineData("لو صار عندي تسريب قوي بالليل تجون؟")]
    [InlineData("It's not an emergency, the faucet just drips")]
    [InlineData("If my basement ever floods, do you pump it out?")]
    [InlineData("أنا مو مستعجل")]
    public void AskingAboutEmergenciesOrDenyingOneIsNoReport(string message)
    {
        QualificationResult r = QualificationKit.Extract(message);
        Assert.False(r.EmergencyReported);
        Assert.Equal(Urgency.Low, r.Urgency);
    }

    [Theory]
    [InlineData("Can you come tomorrow?", Urgency.High)]
    [InlineData("Next week is fine", Urgency.Medium)]
    [InlineData("Sometime in January", Urgency.Medium)]
    [InlineData("Next year", Urgency.Low)]
    [InlineData("How much is a drain cleaning?", Urgency.Low)]
    public void UrgencyFollowsTheTimeline(string message, Urgency expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message).Urgency);
}
