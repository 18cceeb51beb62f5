using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Conversations;

public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/conversations/{id:guid}").RequireTenant().WithTags("Conversations")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", GetAsync).WithName("GetConversation").WithSummary("A conversation with its messages.");
        group.MapGet("/messages", MessagesAsync).WithName("ListConversationMessages");
        group.MapPost("/messages", ReplyAsync).WithName("SendHumanReply")
            .WithSummary("A person's reply, sent through the lead's channel; it also lets the bot answer again.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/escalate", EscalateAsync).WithName("EscalateConversation")
            .WithSummary("Hand the conversation to a person: the bot stops replying and the owner is alerted.");
        group.MapPost("/resume-bot", ResumeAsync).WithName("ResumeBot").WithSummary("Let the bot reply on this conversation again.");
        return app;
    }

    private sealed record ConversationRow(Guid Id, Guid LeadId, string Channel, string? Subject, string Status, bool Escalated, long CreatedAt, long UpdatedAt);

    private const string Select = """
        SELECT id, lead_id, channel, subject, status, escalated, created_at, updated_at
        FROM conversations WHERE id = @id AND tenant_id = @TenantId
        """;

    private static async Task<ConversationRow?> FindAsync(Db db, Tenant tenant, Guid id)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ConversationRow>(Select, new { id, TenantId = tenant.Id });
    }

    private static async Task<Results<Ok<ConversationView>, ProblemHttpResult>> GetAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        ConversationRow? c = await connection.QuerySingleOrDefaultAsync<ConversationRow>(Select, new { id, TenantId = tenant.Id });
        if (c is null)
        {
            return Problems.NotFound("conversation");
        }
        var messages = await MessageView.ForConversationAsync(connection, tenant.Id, id);
        return TypedResults.Ok(new ConversationView(c.Id, c.LeadId, c.Channel, c.Subject, c.Status, c.Escalated,
            Times.From(c.CreatedAt), Times.From(c.UpdatedAt), messages));
    }

    private static async Task<Results<Ok<List<MessageView>>, ProblemHttpResult>> MessagesAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<ConversationRow>(Select, new { id, TenantId = tenant.Id }) is null)
        {
            return Problems.NotFound("conversation");
        }
        return TypedResults.Ok(await MessageView.ForConversationAsync(connection, tenant.Id, id));
    }

    private static async Task<Results<Accepted<MessageView>, ProblemHttpResult>> ReplyAsync(
        Guid id, HumanReplyRequest body, Tenant tenant, Db db, JobQueue jobs, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Body) || body.Body.Length > 10_000)
        {
            return Problems.Validation(new() { ["body"] = ["Write the reply text (1 to 10,000 characters)."] });
        }
        ConversationRow? c = await FindAsync(db, tenant, id);
        if (c is null)
        {
            return Problems.NotFound("conversation");
        }

        Guid messageId = Guid.CreateVersion7();
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, subject, body, status,
                                      config_version, created_at)
                VALUES (@messageId, @TenantId, @Id, @LeadId, 'out', 'human', @Channel, @Subject, @Body, 'queued', @ConfigVersion, @now)
                """, new { messageId, TenantId = tenant.Id, c.Id, c.LeadId, c.Channel, Subject = ReplyJob.ReplySubject(c.Subject, tenant),
                    Body = body.Body.Trim(), tenant.ConfigVersion, now });
            await Audit.RecordAsync(tx, tenant.Id, c.LeadId, "reply.human", new { message_id = messageId, conversation_id = c.Id, author = body.AuthorName }, now, tenant.ConfigVersion);
            // A person answering is the end of the hand-off: the bot may take the next message again.
            await Escalation.ResumeAsync(tx, tenant, c.Id, c.LeadId, "human_reply", now);
            await jobs.EnqueueAsync(tx, tenant.Id, new DeliverJobPayload(messageId), messageId.ToString());
        }, ct);

        await using var connection = await db.OpenAsync(ct);
        MessageView view = (await MessageView.ForConversationAsync(connection, tenant.Id, id)).Single(m => m.Id == messageId);
        return TypedResults.Accepted($"/v1/conversations/{id}/messages", view);
    }

    private static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> EscalateAsync(
        Guid id, EscalateRequest? body, Tenant tenant, Db db, Escalation escalation, TimeProvider clock, CancellationToken ct)
    {
        ConversationRow? c = await FindAsync(db, tenant, id);
        if (c is null)
        {
            return Problems.NotFound("conversation");
        }
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool changed = await db.InTransactionAsync(tx =>
            escalation.EscalateAsync(tx, tenant, c.Id, c.LeadId, body?.Reason ?? "staff_request", "api", null, now), ct);
        return TypedResults.Ok(new EscalationView(c.Id, Escalated: true, Changed: changed));
    }

    private static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> ResumeAsync(Guid id, Tenant tenant, Db db, TimeProvider clock, CancellationToken ct)
    {
        ConversationRow? c = await FindAsync(db, tenant, id);
        if (c is null)
        {
            return Problems.NotFound("conversation");
        }
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool changed = await db.InTransactionAsync(tx => Escalation.ResumeAsync(tx, tenant, c.Id, c.LeadId, "api", now), ct);
        return TypedResults.Ok(new EscalationView(c.Id, Escalated: false, Changed: changed));
    }
}

public sealed record ConversationView(
    Guid Id, Guid LeadId, string Channel, string? Subject, string Status, bool Escalated, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, IReadOnlyList<MessageView> Messages);

public sealed record HumanReplyRequest(string? Body, string? AuthorName);

public sealed record EscalateRequest(string? Reason);

public sealed record EscalationView(Guid ConversationId, bool Escalated, bool Changed);
