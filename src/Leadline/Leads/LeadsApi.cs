using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Leads;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leads").RequireTenant().WithTags("Leads");
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetLead")
            .WithSummary("A lead with its qualification and the messages of its latest conversation.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private sealed record LeadRow(
        Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string? Source, string Channel,
        string State, string Score, string Qualification, bool Escalated, long CreatedAt, long? FirstReplyAt, long? SpeedToLeadMs);

    private sealed record MessageRow(
        Guid Id, string Direction, string Author, string Channel, string? Subject, string Body, string Status,
        string? ProviderMessageId, int Attempts, string? LastError, string? Engine, string? FaqIds, bool? Fallback,
        int? ConfigVersion, long CreatedAt, long? SentAt);

    // The tenant filter in the WHERE clause makes another tenant's lead "not found".
    private const string SelectLead = """
        SELECT id, email, phone, first_name, last_name, source, channel, state, score, qualification, escalated,
               created_at, first_reply_at, speed_to_lead_ms
        FROM leads WHERE id = @id AND tenant_id = @TenantId
        """;

    private const string SelectMessages = """
        SELECT id, direction, author, channel, subject, body, status, provider_message_id, attempts, last_error, engine,
               faq_ids, fallback, config_version, created_at, sent_at
        FROM messages WHERE conversation_id = @conversationId AND tenant_id = @TenantId
        ORDER BY created_at, direction
        """;

    private static async Task<Results<Ok<LeadView>, ProblemHttpResult>> GetAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        LeadRow? lead = await connection.QuerySingleOrDefaultAsync<LeadRow>(SelectLead, new { id, TenantId = tenant.Id });
        if (lead is null)
        {
            return Problems.NotFound("lead");
        }
        Guid? conversationId = await connection.QuerySingleOrDefaultAsync<Guid?>(
            "SELECT id FROM conversations WHERE lead_id = @id AND tenant_id = @TenantId ORDER BY created_at DESC LIMIT 1",
            new { id, TenantId = tenant.Id });
        var messages = conversationId is Guid cid
            ? (await connection.QueryAsync<MessageRow>(SelectMessages, new { conversationId = cid, TenantId = tenant.Id })).ToList()
            : [];

        var view = new LeadView(
            lead.Id, lead.Email, lead.Phone, lead.FirstName, lead.LastName, lead.Source, lead.Channel, lead.State, lead.Score,
            QualificationView.From(lead.Qualification), lead.Escalated, Time(lead.CreatedAt), TimeOrNull(lead.FirstReplyAt),
            lead.SpeedToLeadMs, conversationId,
            messages.Select(m => new MessageView(
                m.Id, m.Direction, m.Author, m.Channel, m.Subject, m.Body, m.Status, m.ProviderMessageId, m.Attempts, m.LastError,
                m.Engine, m.FaqIds is null ? null : JsonSerializer.Deserialize<string[]>(m.FaqIds), m.Fallback, m.ConfigVersion,
                Time(m.CreatedAt), TimeOrNull(m.SentAt))).ToList());
        return TypedResults.Ok(view);
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? TimeOrNull(long? ms) => ms is long v ? Time(v) : null;
}

public sealed record LeadView(
    Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string? Source, string Channel, string State,
    string Score, QualificationView Qualification, bool Escalated, DateTimeOffset CreatedAt, DateTimeOffset? FirstReplyAt,
    long? SpeedToLeadMs, Guid? ConversationId, IReadOnlyList<MessageView> Messages);

public sealed record MessageView(
    Guid Id, string Direction, string Author, string Channel, string? Subject, string Body, string Status,
    string? ProviderMessageId, int Attempts, string? LastError, string? Engine, string[]? FaqIds, bool? Fallback,
    int? ConfigVersion, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed record BudgetView(decimal? Min, decimal? Max, string? Currency);

public sealed record QualificationView(
    string? Service, BudgetView? Budget, string Timeline, string Urgency, bool? DecisionMaker, string? Location, string? Language)
{
    public static QualificationView From(string json) =>
        Json.Deserialize<QualificationView>(json) is { } q && q.Timeline is not null
            ? q
            : new QualificationView(null, null, "unknown", "low", null, null, null);
}
