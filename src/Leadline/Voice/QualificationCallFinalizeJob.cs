using Dapper;
using Leadline.Alerts;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Leads;
using Leadline.Observability;
using Leadline.Qualification;
using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// The <c>qualification-call-finalize</c> job, queued once when Twilio reports the end of a call. A call the lead
/// answered questions on becomes part of the lead's conversation (one inbound <c>voice</c> message per question and
/// answer), is qualified like a text turn (the answers go through the same <see cref="TurnAssessment"/> and
/// <see cref="LeadUpdates"/>), and is followed by a text with the booking link through the normal outbound path,
/// where the compliance gate applies. A call the lead did not pick up (no answer, busy, or answered without a word)
/// changes no qualification and gets a short text with the booking link instead, so the lead still has a next step;
/// a failed or canceled call gets nothing. A lead a person has taken over gets no text.
/// Everything is one commit, guarded by <c>finalized_at</c>: a second run finds it done and does nothing.
/// </summary>
public sealed partial class QualificationCallFinalizeJob(
    Db db, TenantStore tenants, JobQueue jobs, IntakeService intake, Escalation escalation, Metrics metrics, OwnerAlerts alerts, TimeProvider clock,
    ILogger<QualificationCallFinalizeJob> logger) : IJobHandler<QualificationCallFinalizePayload>
{
    // How long the call's answers wait for a reply in flight before looking again.
    private static readonly TimeSpan s_replyWait = TimeSpan.FromSeconds(1);

    private const string CallSubject = "Qualification call";

    private sealed record CallRow(Guid Id, Guid TenantId, Guid LeadId, string Status, string? ProviderCallSid, long? FinalizedAt);

    private sealed record AnswerRow(int QuestionIndex, string Question, string Status, string? Answer, long CreatedAt);

    private sealed record LeadRow(string? FirstName, string Qualification, bool Escalated);

    public async Task RunAsync(Job job, QualificationCallFinalizePayload payload, CancellationToken ct)
    {
        CallRow? call;
        List<AnswerRow> answers;
        await using (var connection = await db.OpenAsync(ct))
        {
            call = await connection.QuerySingleOrDefaultAsync<CallRow>("""
                SELECT id, tenant_id AS TenantId, lead_id AS LeadId, status, provider_call_sid AS ProviderCallSid, finalized_at AS FinalizedAt
                FROM qualification_calls WHERE id = @CallId AND tenant_id = @TenantId
                """, new { payload.CallId, job.TenantId });
            if (call is null)
            {
                throw new PermanentJobFailure($"call {payload.CallId} does not exist");
            }
            answers = [.. await connection.QueryAsync<AnswerRow>("""
                SELECT question_index AS QuestionIndex, question, status, answer, created_at AS CreatedAt
                FROM qualification_call_answers WHERE call_id = @CallId AND tenant_id = @TenantId ORDER BY question_index
                """, new { payload.CallId, job.TenantId })];
        }
        if (call.FinalizedAt is not null || !QualificationCalls.Ended.Contains(call.Status))
        {
            return;
        }
        Tenant tenant = await tenants.FindCachedAsync(call.TenantId, ct) ?? throw new PermanentJobFailure("tenant no longer exists");

        List<AnswerRow> answered = [.. answers.Where(a => a.Status == "answered" && !string.IsNullOrWhiteSpace(a.Answer))];
        bool held = call.Status == QualificationCalls.Completed && answered.Count > 0;
        if (held && await ReplyInFlightAsync(tenant.Id, call.LeadId, ct))
        {
            // A reply job merges its turn onto the qualification it read before drafting, and would write over what
            // the call found should it commit after us; the call's answers wait for it (without using an attempt).
            throw new DeferJobException("a reply to the lead is being drafted", clock.GetUtcNow() + s_replyWait);
        }
        bool missed = !held && call.Status is QualificationCalls.Completed or QualificationCalls.NoAnswer or QualificationCalls.Busy;
        Guid textId = Guid.CreateVersion7();
        Job? delivery = null;
        string outcome = "";
        await db.InTransactionAsync(async tx =>
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            int claimed = await tx.ExecuteAsync(
                "UPDATE qualification_calls SET finalized_at = @now, updated_at = @now WHERE id = @Id AND tenant_id = @TenantId AND finalized_at IS NULL",
                new { now, call.Id, call.TenantId });
            if (claimed == 0)
            {
                await jobs.CompleteInAsync(tx, job);
                return;
            }
            string lockRow = tx.Dialect == Dialect.Postgres ? " FOR UPDATE" : "";
            LeadRow lead = await tx.QuerySingleAsync<LeadRow>(
                "SELECT first_name AS FirstName, qualification, escalated FROM leads WHERE id = @LeadId AND tenant_id = @TenantId" + lockRow,
                new { call.LeadId, TenantId = tenant.Id });
            bool texting = !lead.Escalated && (held || missed);
            // The lead's latest open conversation is where the call belongs; a new voice conversation when none is open.
            Guid? conversationId = held || texting
                ? await IntakeConversations.FindOrOpenAsync(tx, tenant, call.LeadId, "voice", CallSubject, anyOpen: true, 0, now)
                : null;

            TurnAssessment? turn = null;
            if (held)
            {
                await TranscriptAsync(tx, tenant, call, answers);
                // The answers read as one message of the lead's ("I need a new water heater. This week. About 2000
                // dollars."), merged into what earlier turns said, as a text conversation would be.
                string said = string.Join(" ", answered.Select(a => Sentence(a.Answer!)));
                turn = TurnAssessment.Assess(tenant, lead.Qualification, said, clock.GetUtcNow(), inboundCount: 1);
                await LeadUpdates.ApplyAsync(tx, tenant, call.LeadId, lead.Qualification, turn, now, alerts);
                if (turn.EscalateReason is { } reason)
                {
                    string? evidence = turn.Latest.Evidence.FirstOrDefault(e => e.Field == "escalate")?.Text;
                    await escalation.EscalateAsync(tx, tenant, conversationId!.Value, call.LeadId, reason, "bot", evidence, now);
                }
            }

            CallTextKind? kind = !texting ? null
                : held ? (turn!.EscalateReason is null ? CallTextKind.AfterCall : CallTextKind.Handoff)
                : CallTextKind.Missed;
            outcome = held ? "qualified" : missed ? "missed" : call.Status;
            if (kind is { } k)
            {
                string language = turn?.Qualification.Language
                    ?? StoredQualification.Previous(lead.Qualification)?.Language
                    ?? QualificationCallWording.LanguageOf(tenant.Settings);
                bool approve = tenant.Settings.ApproveBeforeSend;
                await tx.ExecuteAsync("""
                    INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, body, status, config_version, created_at)
                    VALUES (@textId, @TenantId, @conversationId, @LeadId, 'out', 'bot', 'sms', @body, @status, @ConfigVersion, @now)
                    """, new
                {
                    textId, TenantId = tenant.Id, conversationId, call.LeadId,
                    body = QualificationCallWording.Text(tenant, language, lead.FirstName, k),
                    status = approve ? "awaiting_approval" : "queued",
                    tenant.ConfigVersion, now,
                });
                if (!approve)
                {
                    // Claimed by this worker in the same commit and sent right after it, as a reply's delivery is.
                    delivery = await jobs.EnqueueClaimedAsync(tx, job.Owner, tenant.Id,
                        new DeliverJobPayload(textId), textId.ToString());
                }
            }
            await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "call.finalized", new
            {
                call_id = call.Id,
                status = call.Status,
                outcome,
                asked = answers.Count,
                answered = answered.Count,
                conversation_id = conversationId,
                text_message_id = kind is null ? (Guid?)null : textId,
                text = kind?.ToString(),
                text_skipped = kind is null && (held || missed) ? "a person has taken over the lead" : null,
                score = turn?.Qualification.Score.ToCode(),
            }, now, tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
        }, ct);
        job.FollowUp = delivery;
        metrics.Increment("qualification_calls_total", ("tenant", tenant.Slug), ("status", call.Status), ("outcome", outcome));
        LogFinalized(call.Id, call.Status, outcome, answered.Count);
    }

    /// <summary>
    /// Whether a reply job for one of the lead's messages is waiting or running. Its unique key is the reply kind's
    /// prefix and the message id in lower case as .NET writes it; SQLite keeps ids in upper case, hence LOWER.
    /// </summary>
    private async Task<bool> ReplyInFlightAsync(Guid tenantId, Guid leadId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM messages m JOIN jobs j ON j.unique_key = LOWER(@prefix || m.id)
            WHERE m.tenant_id = @tenantId AND m.lead_id = @leadId AND m.direction = 'in' AND j.status IN ('pending', 'running')
            """, new { prefix = ReplyJobPayload.KeyPrefix, tenantId, leadId }) > 0;
    }

    /// <summary>
    /// One inbound voice message per question asked, at the time it was answered: the call as the conversation shows
    /// it, taken in through the intake like any message of the lead's. The spoken opt-out was honoured during the call
    /// (<see cref="QualificationCallWebhooks"/>), and the call's own text follows, so the intake answers nothing here.
    /// </summary>
    private async Task TranscriptAsync(Tx tx, Tenant tenant, CallRow call, List<AnswerRow> answers)
    {
        foreach (AnswerRow a in answers)
        {
            await intake.AcceptInTxAsync(tx, tenant, new InboundMessage
            {
                Channel = "voice",
                Source = "qualification-call",
                ExternalId = $"{call.Id}#q{a.QuestionIndex}",
                ProviderMessageId = call.ProviderCallSid is { } sid ? $"{sid}#q{a.QuestionIndex}" : null,
                Body = $"Q: {a.Question}\nA: {(a.Status == "answered" ? a.Answer : "(no answer)")}",
            }, new IntakeRules
            {
                LeadId = call.LeadId,
                Dedupe = false,
                Compliance = false,
                Reply = IntakeReply.None,
                AnyOpenConversation = true,
                ConversationSubject = CallSubject,
                ReceivedAt = a.CreatedAt,
            });
        }
    }

    /// <summary>Speech recognition usually ends a sentence with a full stop; one is added where it did not.</summary>
    private static string Sentence(string answer)
    {
        string text = answer.Trim();
        return text.Length > 0 && char.IsLetterOrDigit(text[^1]) ? text + "." : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended {Status}: {Outcome} with {Answered} answer(s)")]
    private partial void LogFinalized(Guid callId, string status, string outcome, int answered);
}

/// <summary>The call whose end Twilio reported; one finalize job per call (its id is the unique key).</summary>
public sealed record QualificationCallFinalizePayload(Guid CallId) : IJobPayload
{
    public static string Kind => "qualification-call-finalize";

    public static string KeyPrefix => "call-finalize:";
}
