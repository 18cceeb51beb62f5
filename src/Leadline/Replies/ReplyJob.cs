using Dapper;
using Leadline.Alerts;
using Leadline.Compliance;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Knowledge;
using Leadline.Leads;
using Leadline.Observability;
using Leadline.Replies.Llm;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// The <c>reply</c> job (ARCHITECTURE.md, the spine, step 3): draft a reply to one inbound message and queue
/// it for delivery. At most one reply per inbound message: <c>messages.reply_to_id</c> is unique.
/// </summary>
public sealed partial class ReplyJob(
    Db db, TenantStore tenants, ReplyEngines engines, FaqSearch search, JobQueue jobs, Escalation escalation, Metrics metrics,
    OwnerAlerts alerts, TimeProvider clock, ILogger<ReplyJob> logger)
    : IJobHandler<ReplyJobPayload>
{

    private sealed record Inbound(
        Guid Id, Guid TenantId, Guid ConversationId, Guid LeadId, string Channel, string? Subject, string Body,
        string? FirstName, string? LastName, string? Email, string? Phone, bool Escalated, string Qualification);

    private const string LoadInbound = """
        SELECT m.id, m.tenant_id AS TenantId, m.conversation_id AS ConversationId, m.lead_id AS LeadId, m.channel,
               m.subject, m.body, l.first_name AS FirstName, l.last_name AS LastName, l.email, l.phone, c.escalated,
               l.qualification
        FROM messages m
        JOIN leads l ON l.id = m.lead_id AND l.tenant_id = m.tenant_id
        JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
        WHERE m.id = @MessageId AND m.tenant_id = @TenantId AND m.direction = 'in'
        """;

    public async Task RunAsync(Job job, ReplyJobPayload payload, CancellationToken ct)
    {
        Inbound? inbound;
        IReadOnlyList<HistoryMessage> history;
        await using (var connection = await db.OpenAsync(ct))
        {
            inbound = await connection.QuerySingleOrDefaultAsync<Inbound>(LoadInbound, new { payload.MessageId, job.TenantId });
            if (inbound is null)
            {
                throw new PermanentJobFailure($"inbound message {payload.MessageId} does not exist");
            }
            if (await connection.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM messages WHERE reply_to_id = @MessageId AND tenant_id = @TenantId", new { payload.MessageId, job.TenantId }) > 0)
            {
                return;
            }
            history = (await connection.QueryAsync<HistoryMessage>("""
                SELECT direction, author, body, created_at AS CreatedAt FROM messages
                WHERE conversation_id = @ConversationId AND tenant_id = @TenantId AND id <> @Id ORDER BY created_at
                """, new { inbound.ConversationId, inbound.TenantId, inbound.Id })).ToList();
        }

        Tenant tenant = await tenants.FindCachedAsync(inbound.TenantId, ct) ?? throw new PermanentJobFailure("tenant no longer exists");
        if (payload.Compliance != ComplianceRequest.None)
        {
            await AnswerComplianceAsync(job, payload, inbound, tenant, ct);
            return;
        }
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
        IReplyEngine engine = engines.For(tenant);
        BudgetState? spentBudget = null;
        if (engine != engines.Offline && tenant.Settings.MonthlyTokenBudget is not null)
        {
            await using var connection = await db.OpenAsync(ct);
            if (await TokenBudget.ReadAsync(connection, tenant, context.Now) is { Exhausted: true } budget)
            {
                // The month's tokens are spent: the offline engine answers until the month turns or the budget is raised.
                spentBudget = budget;
                metrics.Increment("llm_budget_fallback_total", ("tenant", tenant.Slug));
                engine = engines.Offline;
            }
        }
        ReplyDraft draft;
        LlmFailure? failure = null;
        ModelTrace? trace = null;
        if (handoff is not null)
        {
            draft = HandoffDraft(context, handoff, turn.Qualification.Language, engine.Name);
        }
        else
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                draft = await engine.DraftAsync(context, ct);
            }
            catch (LlmFailure e) when (!ct.IsCancellationRequested)
            {
                // A model's failure is never the lead's problem: the offline engine answers at once.
                failure = e;
                metrics.Increment("llm_failure_total", ("engine", engine.Name), ("reason", e.Reason));
                LogModelFailed(engine.Name, e.Reason, e.Detail);
                draft = await engines.Offline.DraftAsync(context, ct);
            }
            metrics.ObserveEngineLatency(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, engine.Name);
            trace = draft.Trace ?? failure?.Trace;
            // What the model calls cost, including output that could not be used.
            TokenUsage usage = trace?.Usage ?? draft.Usage;
            if (trace is not null)
            {
                metrics.Increment("llm_calls_total", ("engine", trace.Provider), ("route", trace.Route));
            }
            if (usage.Total > 0)
            {
                metrics.Add("llm_tokens_total", usage.Input, ("engine", engine.Name), ("kind", "input"));
                metrics.Add("llm_tokens_total", usage.Output, ("engine", engine.Name), ("kind", "output"));
            }
            draft = draft with { Usage = usage };
            if (draft.EscalateReason is { } wish)
            {
                handoff = "model_escalation";
                draft = HandoffDraft(context, handoff, turn.Qualification.Language, draft.Engine) with { Usage = usage };
                LogModelEscalated(wish);
            }
            // A refused draft's fallback still cost what the model spent on it.
            draft = Guardrails.Apply(draft, context) with { Usage = usage };
            foreach (string violation in draft.Violations)
            {
                metrics.Increment("guardrail_block_total", ("reason", Guardrails.CodeOf(violation) is { Length: > 0 } code ? code : "other"));
            }
            // The offline engine's confidence is retrieval confidence, and its answer to a weak match is the safe
            // fallback; a model's confidence in its own draft is what can send the lead to a person.
            if (draft.Engine != OfflineReplyEngine.EngineName && draft.Confidence < TurnAssessment.MinDraftConfidence)
            {
                handoff = "low_confidence";
                draft = HandoffDraft(context with { Snippets = [] }, handoff, turn.Qualification.Language, draft.Engine) with { Usage = draft.Usage };
            }
        }

        Guid outId = Guid.CreateVersion7();
        bool awaitingApproval = tenant.Settings.ApproveBeforeSend;
        Job? delivery = null;
        bool created = await db.InTransactionAsync(async tx =>
        {
            long now = Now();
            int inserted = await tx.ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, subject, body, status,
                                      reply_to_id, config_version, engine, faq_ids, confidence, fallback, input_tokens, output_tokens, created_at)
                VALUES (@outId, @TenantId, @ConversationId, @LeadId, 'out', 'bot', @Channel, @Subject, @Text, @Status,
                        @InboundId, @ConfigVersion, @Engine, @FaqIds, @Confidence, @Fallback, @InputTokens, @OutputTokens, @now)
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
                Status = awaitingApproval ? "awaiting_approval" : "queued",
                InboundId = inbound.Id,
                tenant.ConfigVersion,
                draft.Engine,
                FaqIds = Json.Serialize(draft.FaqIds),
                draft.Confidence,
                draft.Fallback,
                InputTokens = draft.Usage.Input,
                OutputTokens = draft.Usage.Output,
                now,
            });
            if (inserted == 0)
            {
                return false;
            }
            await LeadUpdates.ApplyAsync(tx, tenant, inbound.LeadId, inbound.Qualification, turn, now, alerts);
            if (handoff is not null)
            {
                string? evidence = turn.Latest.Evidence.FirstOrDefault(e => e.Field == "escalate")?.Text;
                await escalation.EscalateAsync(tx, tenant, inbound.ConversationId, inbound.LeadId, handoff, "bot", evidence, now);
            }
            if (trace is not null)
            {
                await TokenBudget.RecordAsync(tx, jobs, tenant, context.Now, draft.Usage);
                // The exact prompt and what came back, so a person can see why the model wrote what it wrote
                // (masked or left out as the tenant's prompt_audit setting says).
                await Audit.RecordAsync(tx, tenant.Id, inbound.LeadId, "reply.model_call",
                    PromptAudit.Entry(tenant.Settings.PromptAudit, trace, context.Lead, outId, draft.Usage, failure), now, tenant.ConfigVersion);
            }
            else if (spentBudget is not null)
            {
                await TokenBudget.AlertAsync(tx, jobs, tenant, spentBudget);
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
                engine_failure = failure?.Reason,
                token_budget_spent = spentBudget is not null,
                awaiting_approval = awaitingApproval,
            }, now, tenant.ConfigVersion);
            if (awaitingApproval)
            {
                // A person approves (or edits) the draft before anything is sent: POST /v1/messages/{id}/approve.
                await jobs.CompleteInAsync(tx, job);
                return true;
            }
            // The delivery is claimed by this worker in the same commit and run right after it: no wake-up, no
            // second claim. Should this worker die first, the lease runs out and any worker delivers it.
            delivery = await jobs.EnqueueClaimedAsync(tx, job.Owner, tenant.Id,
                new DeliverJobPayload(outId), outId.ToString());
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

    /// <summary>
    /// Confirms an opt-out or opt-in, or answers HELP, with the tenant's name and contact: a fixed text, never a
    /// draft, written by <c>compliance</c> so the delivery gate lets an opt-out's confirmation through.
    /// </summary>
    private async Task AnswerComplianceAsync(Job job, ReplyJobPayload payload, Inbound inbound, Tenant tenant, CancellationToken ct)
    {
        string language = TextLanguage.ContainsArabic(inbound.Body) ? "ar" : "en";
        string? text = payload.Confirm ? ComplianceReplies.For(payload.Compliance, tenant, language) : null;
        Guid outId = Guid.CreateVersion7();
        Job? delivery = null;
        await db.InTransactionAsync(async tx =>
        {
            long now = Now();
            if (text is not null)
            {
                int inserted = await tx.ExecuteAsync("""
                    INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, subject, body, status,
                                          reply_to_id, config_version, created_at)
                    VALUES (@outId, @TenantId, @ConversationId, @LeadId, 'out', 'compliance', @Channel, @Subject, @text, 'queued',
                            @InboundId, @ConfigVersion, @now)
                    ON CONFLICT (reply_to_id) DO NOTHING
                    """, new
                {
                    outId, inbound.TenantId, inbound.ConversationId, inbound.LeadId, inbound.Channel,
                    Subject = ReplySubject(inbound.Subject, tenant), text, InboundId = inbound.Id, tenant.ConfigVersion, now,
                });
                if (inserted > 0)
                {
                    delivery = await jobs.EnqueueClaimedAsync(tx, job.Owner, tenant.Id,
                        new DeliverJobPayload(outId), outId.ToString());
                }
            }
            await Audit.RecordAsync(tx, tenant.Id, inbound.LeadId, "reply.compliance", new
            {
                message_id = text is null ? (Guid?)null : outId,
                in_reply_to = inbound.Id,
                request = payload.Compliance.ToString(),
                confirmed = text is not null,
            }, now, tenant.ConfigVersion);
            await jobs.CompleteInAsync(tx, job);
        }, ct);
        job.FollowUp = delivery;
        metrics.Increment("compliance_requests_total", ("tenant", tenant.Slug), ("request", payload.Compliance.ToString().ToLowerInvariant()));
    }

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

    /// <summary>What retrieval matches: the message, with the subject in front unless it only echoes a thread ("Re: ...").</summary>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Engine} engine failed ({Reason}: {Detail}); the offline engine answered instead")]
    private partial void LogModelFailed(string engine, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model asked for a person ({Reason}); the conversation is handed off")]
    private partial void LogModelEscalated(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply {MessageId} queued (engine {Engine}, fallback {Fallback})")]
    private partial void LogReplyQueued(Guid messageId, string engine, bool fallback);
}

/// <summary>The inbound message to answer; one reply job per message (its id is the unique key).</summary>
public sealed record ReplyJobPayload(Guid MessageId) : IJobPayload
{
    public static string Kind => "reply";

    public static string KeyPrefix => "reply:";

    /// <summary>An opt-out, opt-in or help request the intake found: the reply job answers it instead of drafting.</summary>
    public ComplianceRequest Compliance { get; init; }

    /// <summary>Whether to send the confirmation: a second STOP from a number already opted out gets none.</summary>
    public bool Confirm { get; init; }
}
