namespace Leadline.Qualification.Engine;

/// <summary>Urgency and score follow from the other facts (PRODUCT.md section 5), for one message and for a merged conversation alike.</summary>
internal static class Scoring
{
    public static Urgency Urgency(Timeline timeline, bool emergency) =>
        emergency || timeline is Timeline.Asap or Timeline.ThisWeek ? Qualification.Urgency.High
        : timeline is Timeline.ThisMonth or Timeline.OneToThreeMonths ? Qualification.Urgency.Medium
        : Qualification.Urgency.Low;

    /// <summary>A complaint is no sales opportunity: it is escalated and scored cold whatever else the lead says.</summary>
    public static Score Score(Urgency urgency, Budget? budget, string? request, EscalateReason? reason) =>
        reason == EscalateReason.Complaint ? Qualification.Score.Cold
        : urgency == Qualification.Urgency.High ? Qualification.Score.Hot
        : urgency == Qualification.Urgency.Medium || budget is not null || request is not null ? Qualification.Score.Warm
        : Qualification.Score.Cold;
}
