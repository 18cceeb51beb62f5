using System.Text;
using Dapper;
using Leadline.Compliance;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Observability;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Leads;

public static class LeadsApi
{
    public static readonly string[] Scores = ["HOT", "WARM", "COLD", "UNSCORED"];

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leads").RequireTenant().WithTags("Leads")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", ListAsync).WithName("ListLeads")
            .WithSummary("Leads, newest first; filter by state, score, escalated; page with the returned next_cursor.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/hot", HotAsync).WithName("ListHotLeads").WithSummary("HOT leads still open (not handed off or disqualified), newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetLead")
            .WithSummary("A lead with its qualification and the messages of its latest conversation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}/score", ScoreAsync).WithName("SetLeadScore")
            .WithSummary("Override the score (HOT, WARM, COLD, UNSCORED).")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}/state", StateAsync).WithName("SetLeadState")
            .WithSummary("Move the lead through its lifecycle; a move the lifecycle does not allow is a 409.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/handoff", HandoffAsync).WithName("HandOffLead")
            .WithSummary("Hand the lead to a person: state HANDED_OFF and the bot stops replying on its conversations.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private sealed record LeadRow(
        Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string? Source, string Channel,
        string State, string Score, string Qualification, bool Escalated, long CreatedAt, long? FirstReplyAt, long? SpeedToLeadMs, string? Timezone);

    private const string Columns = """
        id, email, phone, first_name, last_name, source, channel, state, score, qualification, escalated,
        created_at, first_reply_at, speed_to_lead_ms, timezone
        """;

    private static LeadSummary Summary(LeadRow l) => new(
        l.Id, l.Email, l.Phone, l.FirstName, l.LastName, l.Source, l.Channel, l.State, l.Score,
        QualificationView.From(l.Qualification), l.Escalated, Times.From(l.CreatedAt), Times.FromNullable(l.FirstReplyAt), l.SpeedToLeadMs);

    private static async Task<Results<Ok<LeadView>, ProblemHttpResult>> GetAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        LeadView? view = await db.ReadSnapshotAsync(async tx =>
        {
            // The tenant filter in the WHERE clause makes another tenant's lead "not found".
            LeadRow? lead = await tx.QuerySingleOrDefaultAsync<LeadRow>(
                $"SELECT {Columns} FROM leads WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id });
            if (lead is null)
            {
                return null;
            }
            Guid? conversationId = await tx.QuerySingleOrDefaultAsync<Guid?>(
                "SELECT id FROM conversations WHERE lead_id = @id AND tenant_id = @TenantId ORDER BY created_at DESC LIMIT 1",
                new { id, TenantId = tenant.Id });
            var messages = conversationId is Guid cid ? await MessageView.ForConversationAsync(tx, tenant.Id, cid) : [];
            LeadSummary s = Summary(lead);
            return new LeadView(
                s.Id, s.Email, s.Phone, s.FirstName, s.LastName, s.Source, s.Channel, s.State, s.Score, s.Qualification, s.Escalated,
                s.CreatedAt, s.FirstReplyAt, s.SpeedToLeadMs, LeadHours.Zone(lead.Timezone ?? Phones.ZoneOf(lead.Phone), tenant.Settings).Id,
                conversationId, messages);
        }, ct);
        return view is null ? Problems.NotFound("lead") : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<LeadPage>, ProblemHttpResult>> ListAsync(
        Tenant tenant, Db db, string? state, string? score, bool? escalated, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !Lifecycle.States.Contains(state.ToUpperInvariant()))
        {
            errors["state"] = [$"Use one of {string.Join(", ", Lifecycle.States)}."];
        }
        if (score is not null && !Scores.Contains(score.ToUpperInvariant()))
        {
            errors["score"] = [$"Use one of {string.Join(", ", Scores)}."];
        }
        if (limit is < 1 or > 200)
        {
            errors["limit"] = ["Use a page size from 1 to 200."];
        }
        Guid after = Guid.Empty;
        if (cursor is not null && !Guid.TryParse(cursor, out after))
        {
            errors["cursor"] = ["Pass back the next_cursor of the previous page unchanged."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        int size = limit ?? 50;
        var sql = new StringBuilder($"SELECT {Columns} FROM leads WHERE tenant_id = @TenantId");
        if (state is not null)
        {
            sql.Append(" AND state = @State");
        }
        if (score is not null)
        {
            sql.Append(" AND score = @Score");
        }
        if (escalated is not null)
        {
            sql.Append(" AND escalated = @Escalated");
        }
        if (cursor is not null)
        {
            // Ids are time-ordered (UUIDv7), so "older than the cursor" is "id below it" in both databases.
            sql.Append(" AND id < @After");
        }
        sql.Append(" ORDER BY id DESC LIMIT @Take");

        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<LeadRow>(sql.ToString(), new
        {
            TenantId = tenant.Id,
            State = state?.ToUpperInvariant(),
            Score = score?.ToUpperInvariant(),
            Escalated = escalated ?? false,
            After = after,
            Take = size + 1,
        })).ToList();
        string? next = rows.Count > size ? rows[size - 1].Id.ToString() : null;
        return TypedResults.Ok(new LeadPage(rows.Take(size).Select(Summary).ToList(), next));
    }

    private static async Task<Ok<LeadPage>> HotAsync(Tenant tenant, Db db, int? limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<LeadRow>($"""
            SELECT {Columns} FROM leads
            WHERE tenant_id = @TenantId AND score = 'HOT' AND state NOT IN ('HANDED_OFF', 'DISQUALIFIED')
            ORDER BY id DESC LIMIT @Take
            """, new { TenantId = tenant.Id, Take = Math.Clamp(limit ?? 50, 1, 200) });
        return TypedResults.Ok(new LeadPage(rows.Select(Summary).ToList(), null));
    }

    private static async Task<Results<Ok<LeadSummary>, ProblemHttpResult>> ScoreAsync(
        Guid id, ScoreRequest body, Tenant tenant, Db db, TimeProvider clock, CancellationToken ct)
    {
        string? score = body.Score?.ToUpperInvariant();
        if (score is null || !Scores.Contains(score))
        {
            return Problems.Validation(new() { ["score"] = [$"Use one of {string.Join(", ", Scores)}."] });
        }
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        string? previous = await db.InTransactionAsync(async tx =>
        {
            string? old = await tx.QuerySingleOrDefaultAsync<string>("SELECT score FROM leads WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id });
            if (old is not null)
            {
                await tx.ExecuteAsync("UPDATE leads SET score = @score, updated_at = @now WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id, score, now });
                await Audit.RecordAsync(tx, tenant.Id, id, "lead.score_changed", new { from = old, to = score, actor = "api", reason = body.Reason }, now, tenant.ConfigVersion);
            }
            return old;
        }, ct);
        return previous is null ? Problems.NotFound("lead") : TypedResults.Ok(await LoadSummaryAsync(db, tenant, id, ct));
    }

    private static async Task<Results<Ok<LeadSummary>, ProblemHttpResult>> StateAsync(
        Guid id, StateRequest body, Tenant tenant, Db db, TimeProvider clock, CancellationToken ct)
    {
        string? to = body.State?.ToUpperInvariant();
        if (to is null || !Lifecycle.States.Contains(to))
        {
            return Problems.Validation(new() { ["state"] = [$"Use one of {string.Join(", ", Lifecycle.States)}."] });
        }
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (from, error) = await db.InTransactionAsync(tx => Lifecycle.MoveAsync(tx, tenant.Id, id, to, "api", body.Reason, now), ct);
        if (from is null)
        {
            return Problems.NotFound("lead");
        }
        return error is not null
            ? Problems.Status(StatusCodes.Status409Conflict, "Transition not allowed", error)
            : TypedResults.Ok(await LoadSummaryAsync(db, tenant, id, ct));
    }

    private static async Task<Results<Ok<LeadSummary>, ProblemHttpResult>> HandoffAsync(
        Guid id, HandoffRequest? body, Tenant tenant, Db db, TimeProvider clock, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (from, error) = await db.InTransactionAsync(async tx =>
        {
            var moved = await Lifecycle.MoveAsync(tx, tenant.Id, id, Lifecycle.HandedOff, "api", body?.Reason, now);
            if (moved.From is not null && moved.Error is null)
            {
                // A person owns the lead now: the bot stays quiet on all its conversations.
                await tx.ExecuteAsync("UPDATE conversations SET escalated = @yes, updated_at = @now WHERE lead_id = @id AND tenant_id = @TenantId",
                    new { id, TenantId = tenant.Id, now, yes = true });
                await tx.ExecuteAsync("UPDATE leads SET escalated = @yes WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id, yes = true });
            }
            return moved;
        }, ct);
        if (from is null)
        {
            return Problems.NotFound("lead");
        }
        return error is not null
            ? Problems.Status(StatusCodes.Status409Conflict, "Hand-off not allowed", error)
            : TypedResults.Ok(await LoadSummaryAsync(db, tenant, id, ct));
    }

    private static async Task<LeadSummary> LoadSummaryAsync(Db db, Tenant tenant, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return Summary(await connection.QuerySingleAsync<LeadRow>($"SELECT {Columns} FROM leads WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id }));
    }
}

public sealed record LeadSummary(
    Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string? Source, string Channel, string State,
    string Score, QualificationView Qualification, bool Escalated, DateTimeOffset CreatedAt, DateTimeOffset? FirstReplyAt, long? SpeedToLeadMs);

public sealed record LeadView(
    Guid Id, string? Email, string? Phone, string? FirstName, string? LastName, string? Source, string Channel, string State,
    string Score, QualificationView Qualification, bool Escalated, DateTimeOffset CreatedAt, DateTimeOffset? FirstReplyAt,
    long? SpeedToLeadMs, string Timezone, Guid? ConversationId, IReadOnlyList<MessageView> Messages);

public sealed record LeadPage(IReadOnlyList<LeadSummary> Items, string? NextCursor);

public sealed record ScoreRequest(string? Score, string? Reason);

public sealed record StateRequest(string? State, string? Reason);

public sealed record HandoffRequest(string? Reason);

public sealed record BudgetView(decimal? Min, decimal? Max, string? Currency);

public sealed record QualificationView(
    string? Service, BudgetView? Budget, string Timeline, string Urgency, bool? DecisionMaker, string? Location, string? Language)
{
    public static QualificationView From(string json) =>
        Json.Deserialize<QualificationView>(json) is { } q && q.Timeline is not null
            ? q
            : new QualificationView(null, null, "unknown", "low", null, null, null);
}
