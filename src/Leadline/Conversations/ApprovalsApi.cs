using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Knowledge;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Conversations;

/// <summary>
/// Human in the loop (PRODUCT.md 2.2): with the tenant setting <c>approve_before_send</c>, the bot's drafts wait in
/// <c>awaiting_approval</c>. A person lists them, approves one (as written or edited: an edit passes the same
/// guardrails as any draft, grounded on all the tenant's FAQs) and it is sent; or rejects it and nothing is sent.
/// </summary>
public static partial class ApprovalsApi
{
    public static IEndpointRouteBuilder MapApprovals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/messages").RequireTenant().WithTags("Approvals")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", ListAsync).WithName("ListMessages")
            .WithSummary("The tenant's messages, newest first; ?status=awaiting_approval lists the drafts waiting for a person.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveMessage")
            .WithSummary("Send a draft awaiting approval, optionally with an edited body (checked by the guardrails again).")
            .Produces<MessageView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectMessage")
            .WithSummary("Discard a draft awaiting approval; nothing is sent. A person can still answer in the conversation.")
            .Produces<MessageView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public const string AwaitingApproval = "awaiting_approval";
    public const string Rejected = "rejected";

    private static readonly string[] s_statuses =
        ["received", "queued", "sent", "delivered", "failed", "suppressed", AwaitingApproval, Rejected];

    private sealed record DraftRow(
        Guid Id, Guid ConversationId, Guid LeadId, string Channel, string? Subject, string Body, string Status, string? FaqIds,
        string Qualification, string? InboundBody, string? InboundSubject, string? FirstName, string? LastName, string? Email, string? Phone);

    private const string LoadDraft = """
        SELECT m.id, m.conversation_id AS ConversationId, m.lead_id AS LeadId, m.channel, m.subject, m.body, m.status,
               m.faq_ids AS FaqIds, l.qualification, i.body AS InboundBody, i.subject AS InboundSubject,
               l.first_name AS FirstName, l.last_name AS LastName, l.email, l.phone
        FROM messages m
        JOIN leads l ON l.id = m.lead_id AND l.tenant_id = m.tenant_id
        LEFT JOIN messages i ON i.id = m.reply_to_id AND i.tenant_id = m.tenant_id
        WHERE m.id = @id AND m.tenant_id = @TenantId AND m.direction = 'out'
        """;

    private static async Task<Results<Ok<List<PendingMessageView>>, ProblemHttpResult>> ListAsync(
        Tenant tenant, Db db, string? status, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !s_statuses.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a message status; use one of {string.Join(", ", s_statuses)}."];
        }
        if (limit is < 1 or > 200)
        {
            errors["limit"] = ["Ask for 1 to 200 messages (default 50)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<PendingRow>("""
            SELECT m.id, m.conversation_id AS ConversationId, m.lead_id AS LeadId, m.direction, m.author, m.channel, m.subject,
                   m.body, m.status, m.engine, m.fallback, i.body AS InReplyToBody, m.created_at AS CreatedAt
            FROM messages m LEFT JOIN messages i ON i.id = m.reply_to_id AND i.tenant_id = m.tenant_id
            WHERE m.tenant_id = @TenantId AND (@status IS NULL OR m.status = @status)
            ORDER BY m.created_at DESC, m.id DESC
            LIMIT @limit
            """, new { TenantId = tenant.Id, status, limit = limit ?? 50 });
        return TypedResults.Ok(rows.Select(r => new PendingMessageView(r.Id, r.ConversationId, r.LeadId, r.Direction, r.Author,
            r.Channel, r.Subject, r.Body, r.Status, r.Engine, r.Fallback, r.InReplyToBody, Times.From(r.CreatedAt))).ToList());
    }

    private sealed record PendingRow(
        Guid Id, Guid ConversationId, Guid LeadId, string Direction, string Author, string Channel, string? Subject, string Body,
        string Status, string? Engine, bool? Fallback, string? InReplyToBody, long CreatedAt);

    private static async Task<IResult> ApproveAsync(
        Guid id, Tenant tenant, HttpRequest request, TenantStore store, Db db, JobQueue jobs, Metrics metrics, TimeProvider clock,
        CancellationToken ct)
    {
        // The body is optional: none (or {}) approves the draft as written.
        var (read, error) = HasBody(request) ? await JsonBody.ReadAsync<ApproveRequest>(request, ct) : (new ApproveRequest(null, null), null);
        if (error is not null)
        {
            return error;
        }
        ApproveRequest body = read!;
        if (body.Body is { } edited && (string.IsNullOrWhiteSpace(edited) || edited.Length > 10_000))
        {
            return Problems.Validation(new() { ["body"] = ["Write the edited reply (1 to 10,000 characters), or leave body out to send the draft as written."] });
        }

        tenant = await store.FindAsync(tenant.Id, ct) ?? tenant;
        DraftRow? draft;
        await using (var connection = await db.OpenAsync(ct))
        {
            draft = await connection.QuerySingleOrDefaultAsync<DraftRow>(LoadDraft, new { id, TenantId = tenant.Id });
        }
        if (draft is null)
        {
            return Problems.NotFound("message");
        }
        if (draft.Status != AwaitingApproval)
        {
            return NotAwaiting(draft.Status);
        }

        string? text = body.Body?.Trim();
        if (text is not null && text != draft.Body)
        {
            string language = Leads.QualificationView.From(draft.Qualification).Language ?? "en";
            var faqs = await FaqsAsync(db, tenant.Id, ct);
            var context = new ReplyContext(tenant, new ReplyLead(draft.LeadId, draft.FirstName, draft.LastName, draft.Email, draft.Phone),
                draft.Channel, draft.InboundBody ?? "", draft.InboundSubject, [], clock.GetUtcNow())
            {
                Snippets = faqs.Select(f => new FaqMatch(f, 1)).ToList(),
                Language = language,
            };
            var edit = new ReplyDraft(text, language, 1, faqs.Select(f => f.Reference).ToList(), Fallback: false, "human");
            List<string> reasons = Guardrails.Check(edit, context);
            if (Guardrails.FitChannel(edit with { Answer = null }, draft.Channel) is (_, { } tooLong))
            {
                reasons.Add(tooLong);
            }
            if (reasons.Count > 0)
            {
                foreach (string reason in reasons)
                {
                    metrics.Increment("guardrail_block_total", ("reason", Guardrails.CodeOf(reason) is { Length: > 0 } code ? code : "other"));
                }
                return Problems.Validation(new()
                {
                    ["body"] = [.. reasons.Select(r => $"The edit cannot be sent: {r}. Change the text, or add the fact to the FAQs first.")],
                });
            }
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool approved = await db.InTransactionAsync(async tx =>
        {
            // Only one approval wins: the status check and the change are one statement.
            int changed = await tx.ExecuteAsync("""
                UPDATE messages SET status = 'queued', body = @Body WHERE id = @id AND tenant_id = @TenantId AND status = 'awaiting_approval'
                """, new { id, TenantId = tenant.Id, Body = text ?? draft.Body });
            if (changed == 0)
            {
                return false;
            }
            await Audit.RecordAsync(tx, tenant.Id, draft.LeadId, "reply.approved", new
            {
                message_id = id,
                edited = text is not null && text != draft.Body,
                draft = text is not null && text != draft.Body ? draft.Body : null,
                by = body.AuthorName,
            }, now, tenant.ConfigVersion);
            await jobs.EnqueueAsync(tx, tenant.Id, new DeliverJobPayload(id), id.ToString());
            return true;
        }, ct);
        if (!approved)
        {
            return NotAwaiting(await StatusAsync(db, tenant.Id, id, ct));
        }
        metrics.Increment("approvals_total", ("tenant", tenant.Slug), ("outcome", text is not null && text != draft.Body ? "edited" : "approved"));
        return TypedResults.Accepted($"/v1/conversations/{draft.ConversationId}/messages", await ViewAsync(db, tenant, draft.ConversationId, id, ct));
    }

    private static async Task<IResult> RejectAsync(
        Guid id, Tenant tenant, HttpRequest request, Db db, Metrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var (read, error) = HasBody(request) ? await JsonBody.ReadAsync<RejectRequest>(request, ct) : (new RejectRequest(null, null), null);
        if (error is not null)
        {
            return error;
        }
        RejectRequest body = read!;
        DraftRow? draft;
        await using (var connection = await db.OpenAsync(ct))
        {
            draft = await connection.QuerySingleOrDefaultAsync<DraftRow>(LoadDraft, new { id, TenantId = tenant.Id });
        }
        if (draft is null)
        {
            return Problems.NotFound("message");
        }
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool rejected = await db.InTransactionAsync(async tx =>
        {
            int changed = await tx.ExecuteAsync("""
                UPDATE messages SET status = 'rejected' WHERE id = @id AND tenant_id = @TenantId AND status = 'awaiting_approval'
                """, new { id, TenantId = tenant.Id });
            if (changed == 0)
            {
                return false;
            }
            await Audit.RecordAsync(tx, tenant.Id, draft.LeadId, "reply.rejected",
                new { message_id = id, reason = body.Reason, by = body.AuthorName }, now, tenant.ConfigVersion);
            return true;
        }, ct);
        if (!rejected)
        {
            return NotAwaiting(await StatusAsync(db, tenant.Id, id, ct));
        }
        metrics.Increment("approvals_total", ("tenant", tenant.Slug), ("outcome", "rejected"));
        return TypedResults.Ok(await ViewAsync(db, tenant, draft.ConversationId, id, ct));
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;

    private static ProblemHttpResult NotAwaiting(string status) => Problems.Status(409, "Not awaiting approval",
        $"This message is '{status}'; only a draft in '{AwaitingApproval}' can be approved or rejected.");

    private static async Task<string> StatusAsync(Db db, Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM messages WHERE id = @id AND tenant_id = @tenantId", new { id, tenantId }) ?? "unknown";
    }

    private static async Task<List<Faq>> FaqsAsync(Db db, Guid tenantId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await FaqSql.ListAsync(connection, tenantId)).Select(f => f.ToFaq()).ToList();
    }

    private static async Task<MessageView> ViewAsync(Db db, Tenant tenant, Guid conversationId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await MessageView.ForConversationAsync(connection, tenant.Id, conversationId)).Single(m => m.Id == id);
    }
}

public sealed record ApproveRequest(string? Body, string? AuthorName);

public sealed record RejectRequest(string? Reason, string? AuthorName);

/// <summary>A message in the tenant-wide list, with the lead's message it answers.</summary>
public sealed record PendingMessageView(
    Guid Id, Guid ConversationId, Guid LeadId, string Direction, string Author, string Channel, string? Subject, string Body,
    string Status, string? Engine, bool? Fallback, string? InReplyToBody, DateTimeOffset CreatedAt);
