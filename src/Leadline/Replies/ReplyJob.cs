using Dapper;
using Leadline.Alerts;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Knowledge;
using Leadline.Leads;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// The <c>reply</c> job (ARCHITECTURE.md, the spine, step 3): draft a reply to one inbound message and queue
/// it for delivery. At most one reply per inbound message: <c>messages.reply_to_id</c> is unique.
/// </summary>
public sealed partial class ReplyJob(
    Db db, TenantStore tenants, IReplyEngine engine, FaqSearch search, JobQueue jobs, Escalation escalation, Metrics metrics,
    LeadlineOptions options, TimeProvider clock, ILogger<ReplyJob> logger)
    : IJobHandler
{
    public string Kind => "reply";

    private sealed record Inbound(
        Guid Id, Guid TenantId, Guid ConversationId, Guid LeadId, string Channel, string? Subject, string Body,
        string? FirstName, string? LastName, string? Email, string? Phone, bool Escalated, string Qualification);

    private const string LoadInbound = """
        SELECT m.id, m.tenant_id AS TenantId, m.conversation_id AS ConversationId, m.lead_id AS LeadId, m.channel,
               m.subject, m.body, l.first_name AS FirstName, l.last_name AS LastName, l.email, l.phone, c.escalated,
               l.qualification
        FROM messages m
        JOIN leads l ON l.id = m.lead_id
        JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = @MessageId AND m.direction = 'in'
        """;

    public async Task RunAsync(Job job, CancellationToken ct)
    {
        var payload = Json.Deserialize<ReplyJobPayload>(job.Payload) ?? throw new PermanentJobFailure("empty reply payload");

        Inbound? inbound;
        IReadOnlyList<HistoryMessage> history;
        await using (var connection = await db.OpenAsync(ct))
        {
            inbound = await connection.QuerySingleOrDefaultAsync<Inbound>(LoadInbound, new { payload.MessageId });
            if (inbound is null)
            {
                throw new PermanentJobFailure($"inbound message {payload.MessageId} does not exist");
            }
            if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE reply_to_id = @MessageId", new { payload.MessageId }) > 0)
            {
                return;
            }
            history = (await connection.QueryAsync<HistoryMessage>("""
                SELECT direction, author, body, created_at AS CreatedAt FROM messages
                WHERE conversation_id = @ConversationId AND id <> @Id ORDER BY created_at
                """, new { inbound.ConversationId, inbound.Id })).ToList();
        }

        Tenant tenant = await tenants.FindCachedAsync(inbound.TenantId, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        if (inbound.Escalated)
        {
            await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, inbound.LeadId, "reply.skipped",
                new { message_id = inbound.Id, reason = "conversation is escalated to a person" }, Now(), tenant.ConfigVersion), ct);
            return;
        }

        var context = new ReplyContext(
            tenant,
            new ReplyLead(inbound.LeadId, inbound.FirstName, inbound.LastName, inbound.Email, inbound.Phone),
            inbound.Channel, inbound.Body, inbound.Subject, history, clock.GetUtcNow());
        int inboundCount = history.Count(h => h.Direction == "in") + 1;
        TurnAssessment turn = TurnAssessment.Assess(tenant, inbound.Qualification, inbound.Body, context.Now, inboundCount);
        context = context with { Language = turn.Latest.Language };
        string? handoff = turn.EscalateReason;

        context = context with
        {
            Snippets = await search.SearchAsync(tenant.Id, SearchText(inbound.Body, inbound.Subject), ct: ct,
                concepts: MessageConcepts.Of(turn.Latest)),
        };
        ReplyDraft draft;
        if (handoff is not null)
        {
            draft = HandoffDraft(context, handoff, turn.Qualification.Language, engine.Name);
        }
        else
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            draft = await engine.DraftAsync(context, ct);
            metrics.ObserveEngineLatency(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, draft.Engine);
            draft = Guardrails.Apply(draft, context);
            // The offline engine's confidence is retrieval confidence, and its answer to a weak match is the safe
            // fallback; a model's confidence in its own draft is what can send the lead to a person.
            if (draft.Engine != OfflineReplyEngine.EngineName && draft.Confidence < TurnAssessment.MinDraftConfidence)
            {
                handoff = "low_confidence";
                draft = HandoffDraft(context with { Snippets = [] }, handoff, turn.Qualification.Language, draft.Engine);
            }
        }

        Guid outId = Guid.CreateVersion7();
        Job? delivery = null;
        bool created = await db.InTransactionAsync(async tx =>
        {
            long now = Now();
            int inserted = await tx.ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, subject, body, status,
                                      reply_to_id, config_version, engine, faq_ids, confidence, fallback, created_at)
                VALUES (@outId, @TenantId, @ConversationId, @LeadId, 'out', 'bot', @Channel, @Subject, @Text, 'queued',
                        @InboundId, @ConfigVersion, @Engine, @FaqIds, @Confidence, @Fallback, @now)
                ON CONFLICT (reply_to_id) DO NOTHING
                """, new
            {
                outId,
                inbound.TenantId,
                inbound.ConversationId,
                inbound.LeadId,
                inbound.Channel,
                Subject = ReplySubject(inbound.Subject, tenant),
                draft.Text,
                InboundId = inbound.Id,
                tenant.ConfigVersion,
                draft.Engine,
                FaqIds = Json.Serialize(draft.FaqIds),
                draft.Confidence,
                draft.Fallback,
                now,
            });
            if (inserted == 0)
            {
                return false;
            }
            await LeadUpdates.ApplyAsync(tx, tenant, inbound.LeadId, inbound.Qualification, turn, now, jobs, options);
            if (handoff is not null)
            {
                string? evidence = turn.Latest.Evidence.FirstOrDefault(e => e.Field == "escalate")?.Text;
                await escalation.EscalateAsync(tx, tenant, inbound.ConversationId, inbound.LeadId, handoff, "bot", evidence, now);
            }
            await Audit.RecordAsync(tx, tenant.Id, inbound.LeadId, "reply.decided", new
            {
                message_id = outId,
                in_reply_to = inbound.Id,
                engine = draft.Engine,
                faq_ids = draft.FaqIds,
                confidence = draft.Confidence,
                fallback = draft.Fallback,
                language = draft.Language,
                guardrail_violations = draft.Violations,
                handoff,
            }, now, tenant.ConfigVersion);
            // The delivery is claimed by this worker in the same commit and run right after it: no wake-up, no
            // second claim. Should this worker die first, the lease runs out and any worker delivers it.
            delivery = await jobs.EnqueueClaimedAsync(tx, job.Owner, options.JobLease, "deliver", tenant.Id,
                new DeliverJobPayload(outId), uniqueKey: "deliver:" + outId);
            await jobs.CompleteInAsync(tx, job);
            return true;
        }, ct);
        job.FollowUp = delivery;

        if (created)
        {
            metrics.Increment("replies_total", ("tenant", tenant.Slug), ("engine", draft.Engine), ("fallback", draft.Fallback ? "true" : "false"));
            LogReplyQueued(outId, draft.Engine, draft.Fallback);
        }
    }

    /// <summary>What retrieval matches: the message, with the subject in front unless it only echoes a thread ("Re: ...").</summary>
    /// <summary>
    /// The hand-off acknowledgement, with the answer to the lead's question when a FAQ answers it confidently and
    /// the hand-off is not over a complaint (an upset lead gets the acknowledgement alone). A hand-off draft that
    /// fails the guardrails goes without the answer.
    /// </summary>
    private static ReplyDraft HandoffDraft(ReplyContext context, string reason, string language, string engine)
    {
        FaqMatch? best = context.Snippets.Count > 0 ? context.Snippets[0] : null;
        if (reason != "complaint" && best is not null && best.Confidence >= context.Tenant.Settings.ConfidenceThreshold)
        {
            ReplyDraft answered = ReplyTemplates.Handoff(context, language, engine, best);
            if (Guardrails.Check(answered, context).Count == 0 && Guardrails.FitChannel(answered, context.Channel) is (var fitted, null))
            {
                return fitted;
            }
        }
        return ReplyTemplates.Handoff(context, language, engine);
    }

    private static string SearchText(string body, string? subject) =>
        string.IsNullOrWhiteSpace(subject) || subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? body : subject + "\n" + body;

    /// <summary>E-mail replies keep the thread: "Re: " + the lead's subject.</summary>
    public static string ReplySubject(string? subject, Tenant tenant)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            string name = string.IsNullOrWhiteSpace(tenant.Settings.BusinessName) ? tenant.Name : tenant.Settings.BusinessName;
            return $"Re: your inquiry to {name}";
        }
        return subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject;
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply {MessageId} queued (engine {Engine}, fallback {Fallback})")]
    private partial void LogReplyQueued(Guid messageId, string engine, bool fallback);
}

public sealed record DeliverJobPayload(Guid MessageId);
