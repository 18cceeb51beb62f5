using Leadline.Alerts;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Qualification;
using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Leads;

/// <summary>
/// Writes one turn's qualification onto the lead, in the reply's transaction: the new facts and score, an audit
/// event with the words behind every change, the lifecycle move it implies, and the owner's hot-lead alert the
/// first time the lead turns HOT.
/// </summary>
public static class LeadUpdates
{
    public static async Task ApplyAsync(Tx tx, Tenant tenant, Guid leadId, string previousQualification, TurnAssessment turn, long now,
        OwnerAlerts alerts)
    {
        // Locked on PostgreSQL, so a person's score change committed meanwhile is seen here, not overwritten.
        string lockRow = tx.Dialect == Dialect.Postgres ? " FOR UPDATE" : "";
        var current = await tx.QuerySingleAsync<(string Score, string Qualification)>(
            "SELECT score, qualification FROM leads WHERE id = @leadId AND tenant_id = @TenantId" + lockRow, new { leadId, TenantId = tenant.Id });
        string previousScore = current.Score;
        QualificationResult q = turn.Qualification;
        // Another turn (a second message, a qualification call's answers) may have committed since this one read the
        // lead: this turn's own facts are merged onto what is stored now, so neither overwrites the other.
        if (current.Qualification != previousQualification && StoredQualification.Previous(current.Qualification) is { } storedNow)
        {
            q = Qualifier.Merge(storedNow, turn.Latest);
            previousQualification = current.Qualification;
        }
        StoredQualification stored = StoredQualification.From(q);
        string score = q.Score.ToCode();
        // A score a person set (PATCH /v1/leads/{id}/score) differs from the bot's last one and stays until they change it.
        string? lastBotScore = StoredQualification.LastBotScore(previousQualification);
        bool botOwnsScore = previousScore == "UNSCORED" || previousScore == lastBotScore;
        if (!botOwnsScore)
        {
            score = previousScore;
        }
        await tx.ExecuteAsync("""
            UPDATE leads SET qualification = @Qualification, score = @score, updated_at = @now
            WHERE id = @leadId AND tenant_id = @TenantId
            """, new { Qualification = Json.Serialize(stored), score, now, leadId, TenantId = tenant.Id });

        if (turn.Latest.Evidence.Count > 0 || score != previousScore)
        {
            await Audit.RecordAsync(tx, tenant.Id, leadId, "qualification.updated", new
            {
                score_from = previousScore,
                score_to = score,
                qualification = stored,
                evidence = turn.Latest.Evidence.Select(e => new { field = e.Field, value = e.Value, words = e.Text }),
            }, now, tenant.ConfigVersion);
        }

        // The first answered message starts qualifying; a HOT lead is qualified. Later states (booked, handed off,
        // disqualified) belong to people and are never undone here.
        string? state = await tx.QuerySingleOrDefaultAsync<string>(
            "SELECT state FROM leads WHERE id = @leadId AND tenant_id = @TenantId", new { leadId, TenantId = tenant.Id });
        if (state == Lifecycle.New)
        {
            await Lifecycle.MoveAsync(tx, tenant.Id, leadId, Lifecycle.Qualifying, "bot", "first reply", now);
            state = Lifecycle.Qualifying;
        }
        if (score == "HOT" && state is Lifecycle.Qualifying or Lifecycle.Nurturing)
        {
            await Lifecycle.MoveAsync(tx, tenant.Id, leadId, Lifecycle.Qualified, "bot", "scored HOT", now);
        }

        if (score == "HOT" && previousScore != "HOT")
        {
            await alerts.HotLeadAsync(tx, tenant, leadId);
        }
    }
}
