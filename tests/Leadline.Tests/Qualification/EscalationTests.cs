using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Escalation: the lead asks for a person, or complains.</summary>
public class EscalationTests
{
    [Theory]
    [InlineData("I want to talk to a real person, not a bot.")]
    [InlineData("Can I speak to a human?")]
    [InlineData("Let me speak to your manager")]
    [InlineData("Is the owner around? I'd like to talk to the owner")]
    [InlineData("Please have someone call me")]
    [InlineData("Can someone call me back today?")]
    [InlineData("Connect me with a live agent")]
    [InlineData("I need to speak with a representative")]
    [InlineData("Can I talk to someone about my options?")]
    [InlineData("Human please")]
    [InlineData("Is the owner available?")]
    [InlineData("Is there a real person I can talk to?")]
    [InlineData("Can someone from the sales team give me a call?")]
    [InlineData("المدير موجود؟")]
    [InlineData("ممكن أحد من فريقكم يكلمني؟")]
    [InlineData("أبي أكلم موظف")]
    [InlineData("أبي أكلم شخص حقيقي")]
    [InlineData("أبغى أحد يتصل علي")]
    [InlineData("ممكن أكلم المدير؟")]
    [InlineData("ابي المدير")]
    public void AskingForAPersonEscalates(string message)
    {
        QualificationResult r = QualificationKit.Extract(message);
        Assert.True(r.Escalate);
        Assert.Equal(EscalateReason.PersonRequested, r.EscalateReason);
    }

    [Theory]
    [InlineData("I want a refund")]
    [InlineData("I was double charged for the last visit")]
    [InlineData("You charged me twice for one cleaning")]
    [InlineData("I'd like to file a complaint about your technician")]
    [InlineData("My lawyer will be in touch")]
    [InlineData("I'm going to sue you")]
    [InlineData("We are considering legal action")]
    [InlineData("This is a scam")]
    [InlineData("I got ripped off")]
    [InlineData("عندي شكوى على الفني")]
    [InlineData("أبي استرجاع فلوسي")]
    [InlineData("أبي استرداد المبلغ")]
    [InlineData("راح أكلم محامي")]
    [InlineData("انخصم مني المبلغ مرتين")]
    [InlineData("هذا نصب")]
    public void AComplaintEscalatesAndIsScoredCold(string message)
    {
        QualificationResult r = QualificationKit.Extract(message + " Can you come tomorrow?");
        Assert.True(r.Escalate);
        Assert.Equal(EscalateReason.Complaint, r.EscalateReason);
        Assert.Equal(Score.Cold, r.Score);
    }

    [Theory]
    [InlineData("I want to talk to a real estate agent about selling")]
    [InlineData("Are you agents or the owners?")]
    [InlineData("Are you a real person?")]
    [InlineData("No need to call me, just email the details")]
    [InlineData("Please don't have anyone call me, text only")]
    [InlineData("I'm the owner of the house")]
    [InlineData("Do you offer refunds if I cancel?")]
    [InlineData("What is your refund policy?")]
    [InlineData("Is the deposit refundable?")]
    [InlineData("No complaints, the last job was great")]
    [InlineData("Hi, this is Sue from Evanston")]
    [InlineData("My lawyer will review the purchase agreement before we sign")]
    [InlineData("المحامي بيراجع العقد قبل التوقيع")]
    [InlineData("لا تتصلون علي، أرسلوا لي واتساب")]
    [InlineData("ما أحتاج أحد يتصل علي")]
    [InlineData("أنا المدير في الشركة وأبي مكتب")]
    [InlineData("هل المبلغ مسترد؟")]
    public void LookalikesDoNotEscalate(string message) =>
        Assert.False(QualificationKit.Extract(message).Escalate);
}
