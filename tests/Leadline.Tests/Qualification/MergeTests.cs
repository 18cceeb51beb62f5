using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Qualification is updated every turn: new facts replace old ones, unstated facts are kept, escalation sticks.</summary>
public class MergeTests
{
    private static QualificationResult Conversation(params string[] turns)
    {
        QualificationResult? result = null;
        var context = new QualifierContext(QualificationKit.ChicagoNow, "USD", QualificationKit.PlumbingServices);
        foreach (string turn in turns)
        {
            result = Qualifier.Update(result, turn, context);
        }
        return result!;
    }

    [Fact]
    public void EarlierFactsAreKeptWhenTheNewMessageDoesNotStateThem()
    {
        QualificationResult r = Conversation("Looking to replace our water heater in January, budget around $2,000.", "Do you offer payment plans?");
        Assert.Equal(Timeline.OneToThreeMonths, r.Timeline);
        Assert.Equal(new Budget(2000, 2000, "USD"), r.Budget);
        Assert.Equal("water heater installation", r.Service);
        Assert.Equal(Score.Warm, r.Score);
    }

    [Fact]
    public void ANewlyStatedFactReplacesTheOldOneAndScoreAndUrgencyFollow()
    {
        QualificationResult r = Conversation("Looking to replace our water heater in January, budget around $2,000.", "Actually it just died, can you come today? Budget up to $3,000.");
        Assert.Equal(Timeline.Asap, r.Timeline);
        Assert.Equal(Urgency.High, r.Urgency);
        Assert.Equal(new Budget(null, 3000, "USD"), r.Budget);
        Assert.Equal(Score.Hot, r.Score);
    }

    [Fact]
    public void EscalationIsStickyAndAComplaintOutranksARequestForAPerson()
    {
        QualificationResult person = Conversation("I want to talk to a real person", "ok, what are your hours?");
        Assert.True(person.Escalate);
        Assert.Equal(EscalateReason.PersonRequested, person.EscalateReason);

        QualificationResult complaint = Conversation("I was double charged", "Let me speak to your manager", "Can you come tomorrow?");
        Assert.Equal(EscalateReason.Complaint, complaint.EscalateReason);
        Assert.Equal(Score.Cold, complaint.Score);
    }

    [Fact]
    public void AReportedEmergencyKeepsTheLeadHot()
    {
        QualificationResult r = Conversation("My basement is flooded", "What's your address?");
        Assert.True(r.EmergencyReported);
        Assert.Equal(Score.Hot, r.Score);
    }

    [Fact]
    public void TheLanguageIsTheLatestOneAndEvidenceAccumulates()
    {
        QualificationResult r = Conversation("Hi, I need a drain cleaned next week", "أبي أحد يتصل علي");
        Assert.Equal("ar", r.Language);
        Assert.Contains(r.Evidence, e => e.Field == "timeline");
        Assert.Contains(r.Evidence, e => e.Field == "escalate");
        Assert.Equal(Timeline.ThisMonth, r.Timeline);
    }
}
