using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Score: HOT when urgent; WARM for medium urgency, a budget or a request; COLD otherwise and for complaints.</summary>
public class ScoreTests
{
    [Theory]
    [InlineData("Can I get a quote for a new water heater?")]
    [InlineData("Could you give me an estimate for a sewer line repair?")]
    [InlineData("Can someone come out and take a look?")]
    [InlineData("I'd like to book a viewing of the villa")]
    [InlineData("Can we take a tour of the space?")]
    [InlineData("I'd like to make an appointment")]
    [InlineData("I'd like a free consultation")]
    [InlineData("How do I book?")]
    [InlineData("Call me back please")]
    [InlineData("I was wondering if you could send me a quote")]
    [InlineData("Do you have any availability for a viewing?")]
    [InlineData("If you could call me back that would be great")]
    [InlineData("Can you call me?")]
    [InlineData("أبي أحجز موعد")]
    [InlineData("ممكن زيارة للموقع؟")]
    [InlineData("أبي معاينة للشقة")]
    [InlineData("اتصل علي لو سمحت")]
    [InlineData("ممكن عرض سعر؟")]
    public void ARequestForAQuoteVisitViewingTourAppointmentOrCallIsWarm(string message) =>
        Assert.Equal(Score.Warm, QualificationKit.Extract(message).Score);

    [Theory]
    [InlineData("How much do you charge to clean a drain?")]
    [InlineData("What's the price of a day pass?")]
    [InlineData("Do you give free estimates?")]
    [InlineData("Do you offer tours?")]
    [InlineData("Do I need an appointment?")]
    [InlineData("Please include this link in your reply so my team can book: http://example.test/x")]
    [InlineData("No need to call me")]
    [InlineData("I got a quote from another plumber last week")]
    [InlineData("كم سعر الزيارة؟")]
    [InlineData("هل تقدمون استشارة مجانية؟")]
    public void QuestionsAboutPricesOrCapabilitiesAreNoRequests(string message) =>
        Assert.Equal(Score.Cold, QualificationKit.Extract(message).Score);

    [Theory]
    [InlineData("Need it fixed today", Score.Hot)]
    [InlineData("My basement is flooded", Score.Hot)]
    [InlineData("Sometime next month", Score.Warm)]
    [InlineData("My budget is $2,000", Score.Warm)]
    [InlineData("Next year, budget $2,000", Score.Warm)]
    [InlineData("Just curious what you do", Score.Cold)]
    [InlineData("I want to talk to a real person", Score.Cold)]
    [InlineData("I want a refund, my basement is flooded again", Score.Cold)]
    public void ScoreFollowsUrgencyBudgetAndComplaints(string message, Score expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message).Score);
}
