namespace Leadline.Qualification;

/// <summary>
/// What one message (or, after <see cref="Qualifier.Merge"/>, a whole conversation) tells us about a lead.
/// Urgency and Score are derived from the other facts by the rules of PRODUCT.md section 5.
/// </summary>
public sealed record QualificationResult(
    Timeline Timeline,
    Urgency Urgency,
    Budget? Budget,
    bool Escalate,
    EscalateReason? EscalateReason,
    Score Score,
    string Language,
    string? Service,
    bool? DecisionMaker,
    string? Location,
    bool EmergencyReported,
    string? Request,
    IReadOnlyList<Evidence> Evidence);

/// <summary>An amount the lead says they can spend; an open end is null.</summary>
public sealed record Budget(decimal? Min, decimal? Max, string Currency);

/// <summary>One audit-trail entry: which field got which value because of which exact words of the message.</summary>
public sealed record Evidence(string Field, string Value, string Text);
