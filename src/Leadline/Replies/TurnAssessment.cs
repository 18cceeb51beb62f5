using Leadline.Leads;
using Leadline.Qualification;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// What one inbound message changes: the lead's qualification (merged with earlier turns) and whether the
/// conversation must go to a person now (PRODUCT.md 2.3: a request for a person, a complaint, a budget over the
/// tenant's high-value threshold, more than 20 exchanges; low engine confidence is judged after drafting).
/// </summary>
public sealed record TurnAssessment(QualificationResult Qualification, QualificationResult Latest, string? EscalateReason)
{
    public const int MaxExchanges = 20;

    /// <summary>Below this confidence in its own draft, a language-model engine hands the conversation to a person.</summary>
    public const double MinDraftConfidence = 0.6;

    public static TurnAssessment Assess(Tenant tenant, string storedQualification, string message, DateTimeOffset now, int inboundCount)
    {
        TimeZoneInfo zone = tenant.Settings.Zone();
        var context = new QualifierContext(TimeZoneInfo.ConvertTime(now, zone), tenant.Settings.Currency, tenant.Settings.Services);
        QualificationResult? previous = StoredQualification.Previous(storedQualification);
        QualificationResult latest = Qualifier.Extract(message, context);
        QualificationResult merged = previous is null ? latest : Qualifier.Merge(previous, latest);

        // Only what this message says triggers a hand-off: a request made earlier was handled when it was made,
        // and a conversation a person gave back to the bot must not bounce straight back.
        string? reason = latest.EscalateReason switch
        {
            Leadline.Qualification.EscalateReason.Complaint => "complaint",
            Leadline.Qualification.EscalateReason.PersonRequested => "person_requested",
            _ => null,
        };
        if (reason is null && tenant.Settings.HighValueThreshold is decimal threshold && latest.Budget is { } budget
            && (budget.Max ?? budget.Min) > threshold && budget.Currency.Equals(tenant.Settings.Currency, StringComparison.OrdinalIgnoreCase))
        {
            reason = "high_value";
        }
        if (reason is null && inboundCount > MaxExchanges)
        {
            reason = "long_conversation";
        }
        return new TurnAssessment(merged, latest, reason);
    }
}
