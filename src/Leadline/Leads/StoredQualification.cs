using Leadline.Qualification;

namespace Leadline.Leads;

/// <summary>
/// The qualification kept on the lead row (<c>leads.qualification</c>): the fields of the API's lead view plus
/// what the next turn needs to merge into (the escalation reason, a reported emergency, the request made).
/// </summary>
public sealed record StoredQualification(
    string? Service, BudgetView? Budget, string Timeline, string Urgency, bool? DecisionMaker, string? Location, string? Language,
    string? EscalateReason, bool EmergencyReported, string? Request, string? BotScore = null)
{
    public static StoredQualification From(QualificationResult q) => new(
        q.Service,
        q.Budget is { } b ? new BudgetView(b.Min, b.Max, b.Currency) : null,
        q.Timeline.ToCode(), q.Urgency.ToCode(), q.DecisionMaker, q.Location, q.Language,
        q.EscalateReason switch
        {
            Qualification.EscalateReason.Complaint => "complaint",
            Qualification.EscalateReason.PersonRequested => "person_requested",
            _ => null,
        },
        q.EmergencyReported, q.Request, q.Score.ToCode());

    /// <summary>The score the bot gave last time; a lead score that differs from it was set by a person.</summary>
    public static string? LastBotScore(string json) => Json.Deserialize<StoredQualification>(json)?.BotScore;

    /// <summary>The earlier turns as a result to merge the next message into; null before the first reply.</summary>
    public static QualificationResult? Previous(string json)
    {
        StoredQualification? s = Json.Deserialize<StoredQualification>(json);
        if (s?.Language is null)
        {
            return null;
        }
        Timeline timeline = Enum.GetValues<Timeline>().FirstOrDefault(t => t.ToCode() == s.Timeline);
        Urgency urgency = Enum.GetValues<Urgency>().FirstOrDefault(u => u.ToCode() == s.Urgency);
        EscalateReason? reason = s.EscalateReason switch
        {
            "complaint" => Qualification.EscalateReason.Complaint,
            "person_requested" => Qualification.EscalateReason.PersonRequested,
            _ => null,
        };
        Budget? budget = s.Budget is { Currency: { } currency } b ? new Budget(b.Min, b.Max, currency) : null;
        // The score is derived again by the merge; Cold here is only a placeholder.
        return new QualificationResult(timeline, urgency, budget, reason is not null, reason, Score.Cold, s.Language,
            s.Service, s.DecisionMaker, s.Location, s.EmergencyReported, s.Request, []);
    }
}
