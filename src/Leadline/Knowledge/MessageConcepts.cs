using Leadline.Qualification;

namespace Leadline.Knowledge;

/// <summary>
/// What qualification already knows about a message, as retrieval concepts: a lead reporting an emergency is asking
/// about the emergency FAQ, a request for a viewing, tour or visit points to FAQs about visits, a request for a quote
/// or an estimate to FAQs about estimates and prices.
/// </summary>
public static class MessageConcepts
{
    public static IReadOnlyList<string> Of(QualificationResult latest)
    {
        var concepts = new List<string>();
        if (latest.EmergencyReported)
        {
            concepts.Add("~emergency");
        }
        switch (latest.Request)
        {
            // A "visit" is as often a technician coming out as the lead coming in, so only viewings and tours count.
            case "viewing" or "tour":
                concepts.Add("~visit");
                break;
            case "quote" or "estimate":
                concepts.Add("~estimate");
                break;
            case "appointment" or "booking":
                concepts.Add("~booking");
                break;
        }
        return concepts;
    }
}
