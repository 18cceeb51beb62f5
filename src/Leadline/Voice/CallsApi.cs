using System.Data.Common;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Voice;

/// <summary>
/// Qualification calls of a lead: start one (<c>POST /v1/leads/{id}/call</c>, 202 once it is queued; the job dials)
/// and list them with their questions and answers (<c>GET /v1/leads/{id}/calls</c>).
/// </summary>
public static class CallsApi
{
    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leads").RequireTenant().WithTags("Leads")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/{id:guid}/call", StartAsync).WithName("CallLead")
            .WithSummary("Phone the lead and ask the tenant's call_questions; answers qualify the lead, then a text brings the booking link.")
            .Produces<CallView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{id:guid}/calls", ListAsync).WithName("ListLeadCalls")
            .WithSummary("The lead's qualification calls, newest first, each with its status, questions and answers.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<CallView>, ProblemHttpResult>> StartAsync(
        Guid id, Tenant tenant, Db db, QualificationCalls calls, TimeProvider clock, CancellationToken ct)
    {
        bool known;
        await using (var connection = await db.OpenAsync(ct))
        {
            known = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM leads WHERE id = @id AND tenant_id = @TenantId",
                new { id, TenantId = tenant.Id }) > 0;
        }
        if (!known)
        {
            return Problems.NotFound("lead");
        }
        if (calls.MissingConfiguration(tenant) is { } missing)
        {
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Calls not configured", missing);
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // The view is read in the same transaction: once it commits, the job may dial at once and move the call on.
        var (start, view) = await db.InTransactionAsync(async tx =>
        {
            CallStart started = await calls.StartAsync(tx, tenant, id, "api", now);
            return (started, started.CallId is Guid callId ? (await ForLeadAsync(tx.Connection, tx.Transaction, tenant.Id, id, callId)).Single() : null);
        }, ct);
        if (view is null)
        {
            return start.Refusal switch
            {
                CallRefusal.UnknownLead => Problems.NotFound("lead"),
                CallRefusal.NoPhone => Problems.Status(StatusCodes.Status409Conflict, "No phone number",
                    "The lead gave no phone number to call. Ask for one, or answer by e-mail."),
                CallRefusal.OptedOut => Problems.Status(StatusCodes.Status409Conflict, "Opted out",
                    "The lead's number has opted out of contact, so it is not called. Only the lead can opt back in (START)."),
                _ => Problems.Status(StatusCodes.Status409Conflict, "Call in progress",
                    $"Call {start.ActiveCallId} to this lead is not over yet; see GET /v1/leads/{id}/calls and try again when it has ended."),
            };
        }
        return TypedResults.Accepted($"/v1/leads/{id}/calls", view);
    }

    private static async Task<Results<Ok<List<CallView>>, ProblemHttpResult>> ListAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        bool known = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM leads WHERE id = @id AND tenant_id = @TenantId",
            new { id, TenantId = tenant.Id }) > 0;
        return known ? TypedResults.Ok(await ForLeadAsync(connection, null, tenant.Id, id)) : Problems.NotFound("lead");
    }

    private sealed record CallRow(
        Guid Id, Guid LeadId, string Status, string StartedBy, string ToNumber, string Questions, string? ProviderCallSid, int Attempts,
        string? LastError, int? DurationSeconds, long CreatedAt, long? AnsweredAt, long? EndedAt, long? FinalizedAt);

    private sealed record AnswerRow(Guid CallId, int QuestionIndex, string Status, string? Answer, double? Confidence, long CreatedAt);

    /// <summary>The lead's calls, newest first, or only <paramref name="callId"/>.</summary>
    private static async Task<List<CallView>> ForLeadAsync(DbConnection connection, DbTransaction? transaction, Guid tenantId, Guid leadId, Guid? callId = null)
    {
        var calls = (await connection.QueryAsync<CallRow>($"""
            SELECT id, lead_id AS LeadId, status, started_by AS StartedBy, to_number AS ToNumber, questions,
                   provider_call_sid AS ProviderCallSid, attempts, last_error AS LastError, duration_seconds AS DurationSeconds,
                   created_at AS CreatedAt, answered_at AS AnsweredAt, ended_at AS EndedAt, finalized_at AS FinalizedAt
            FROM qualification_calls
            WHERE tenant_id = @tenantId AND lead_id = @leadId{(callId is null ? "" : " AND id = @callId")}
            ORDER BY created_at DESC, id DESC
            """, new { tenantId, leadId, callId }, transaction)).ToList();
        var answers = (await connection.QueryAsync<AnswerRow>("""
            SELECT a.call_id AS CallId, a.question_index AS QuestionIndex, a.status, a.answer, a.confidence, a.created_at AS CreatedAt
            FROM qualification_call_answers a JOIN qualification_calls c ON c.id = a.call_id AND c.tenant_id = a.tenant_id
            WHERE c.tenant_id = @tenantId AND c.lead_id = @leadId
            """, new { tenantId, leadId }, transaction)).ToLookup(a => a.CallId);
        return [.. calls.Select(c =>
        {
            var byIndex = answers[c.Id].ToDictionary(a => a.QuestionIndex);
            List<string> questions = Json.Deserialize<List<string>>(c.Questions) ?? [];
            return new CallView(
                c.Id, c.LeadId, c.Status, c.StartedBy, c.ToNumber, c.ProviderCallSid, c.Attempts, c.LastError, c.DurationSeconds,
                Times.From(c.CreatedAt), Times.FromNullable(c.AnsweredAt), Times.FromNullable(c.EndedAt), Times.FromNullable(c.FinalizedAt),
                [.. questions.Select((q, i) => byIndex.TryGetValue(i, out AnswerRow? a)
                    ? new CallAnswerView(i, q, a.Status, a.Answer, a.Confidence, Times.From(a.CreatedAt))
                    : new CallAnswerView(i, q, "not_asked", null, null, null))]);
        })];
    }
}

/// <summary>
/// A qualification call. <c>status</c>: queued (waiting to be dialed, <c>last_error</c> says why when it waits for the
/// lead's calling hours), dialing, in-progress, then completed, no-answer, busy, failed or canceled.
/// </summary>
public sealed record CallView(
    Guid Id, Guid LeadId, string Status, string StartedBy, string To, string? ProviderCallSid, int Attempts, string? LastError,
    int? DurationSeconds, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, DateTimeOffset? FinalizedAt,
    IReadOnlyList<CallAnswerView> Questions);

/// <summary>One question of a call: <c>status</c> answered (with what was heard), unanswered (silence, twice) or not_asked.</summary>
public sealed record CallAnswerView(int Index, string Question, string Status, string? Answer, double? Confidence, DateTimeOffset? AnsweredAt);
