using Leadline.Qualification.Engine;

namespace Leadline.Qualification;

/// <summary>
/// The offline qualification engine: reads a lead's message and states timeline, urgency, budget, escalation,
/// score, language, service, decision maker and location by the rules of PRODUCT.md section 5. Pure and
/// deterministic: the same message, clock and tenant give the same result. The phrases it knows live in
/// Qualification/Phrases/*.json, one file per language; this code holds no words of any language.
/// </summary>
public static class Qualifier
{
    /// <summary>Qualifies one message.</summary>
    public static QualificationResult Extract(string message, QualifierContext context) =>
        Extract(message, context, PhraseBook.Default);

    /// <summary>Qualifies one message with other phrase tables (tests of a new language's table).</summary>
    internal static QualificationResult Extract(string message, QualifierContext context, PhraseBook book)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var a = new MessageAnalysis(message, context, book);
        Timeline timeline = TimelineFinder.Find(a);
        bool emergency = Signals.Emergency(a);
        Budget? budget = BudgetFinder.Find(a);
        EscalateReason? reason = Signals.Escalation(a);
        string? request = Signals.Request(a);
        Urgency urgency = Scoring.Urgency(timeline, emergency);
        return new QualificationResult(
            Timeline: timeline,
            Urgency: urgency,
            Budget: budget,
            Escalate: reason is not null,
            EscalateReason: reason,
            Score: Scoring.Score(urgency, budget, request, reason),
            Language: Signals.Language(a),
            Service: ServiceMatcher.Find(a),
            DecisionMaker: Signals.DecisionMaker(a),
            Location: Signals.Location(a),
            EmergencyReported: emergency,
            Request: request,
            Evidence: a.Evidence);
    }

    /// <summary>
    /// Folds the latest turn into what the conversation said before: a fact the new message states replaces the old
    /// one, a fact it does not state is kept, escalation is sticky (and a complaint outranks a request for a person),
    /// the language is the latest one, and urgency and score are derived again from the merged facts.
    /// </summary>
    public static QualificationResult Merge(QualificationResult previous, QualificationResult latest)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(latest);
        Timeline timeline = latest.Timeline != Timeline.Unknown ? latest.Timeline : previous.Timeline;
        bool emergency = previous.EmergencyReported || latest.EmergencyReported;
        Budget? budget = latest.Budget ?? previous.Budget;
        string? request = latest.Request ?? previous.Request;
        EscalateReason? reason = previous.EscalateReason == EscalateReason.Complaint ? EscalateReason.Complaint : latest.EscalateReason ?? previous.EscalateReason;
        Urgency urgency = Scoring.Urgency(timeline, emergency);
        return new QualificationResult(
            Timeline: timeline,
            Urgency: urgency,
            Budget: budget,
            Escalate: reason is not null,
            EscalateReason: reason,
            Score: Scoring.Score(urgency, budget, request, reason),
            Language: latest.Language,
            Service: latest.Service ?? previous.Service,
            DecisionMaker: latest.DecisionMaker ?? previous.DecisionMaker,
            Location: latest.Location ?? previous.Location,
            EmergencyReported: emergency,
            Request: request,
            Evidence: [.. previous.Evidence, .. latest.Evidence]);
    }

    /// <summary>Qualifies a new message of a conversation and merges it into the previous result (none for the first).</summary>
    public static QualificationResult Update(QualificationResult? previous, string message, QualifierContext context)
    {
        QualificationResult latest = Extract(message, context);
        return previous is null ? latest : Merge(previous, latest);
    }
}
