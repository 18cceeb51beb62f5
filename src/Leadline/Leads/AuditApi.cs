using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Leads;

/// <summary>
/// A lead's audit trail (PRODUCT.md 2.12): intake payload, qualification evidence, reply decisions, model prompts and
/// responses (as the tenant's prompt_audit setting kept them), guardrail verdicts, approvals, sends; oldest first.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/leads/{id:guid}/audit", ListAsync).RequireTenant().WithTags("Leads").WithName("GetLeadAudit")
            .WithSummary("The lead's audit trail, oldest first; ?kind=reply.model_call narrows it to one kind of event.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private sealed record Row(Guid Id, string Kind, string Data, int? ConfigVersion, long CreatedAt);

    private static async Task<Results<Ok<List<AuditEventView>>, ProblemHttpResult>> ListAsync(
        Guid id, string? kind, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM leads WHERE id = @id AND tenant_id = @TenantId",
                new { id, TenantId = tenant.Id }) == 0)
        {
            return Problems.NotFound("lead");
        }
        var rows = await connection.QueryAsync<Row>("""
            SELECT id, kind, data, config_version AS ConfigVersion, created_at AS CreatedAt FROM audit_events
            WHERE tenant_id = @TenantId AND lead_id = @id AND (@kind IS NULL OR kind = @kind)
            ORDER BY created_at, id
            """, new { id, TenantId = tenant.Id, kind });
        return TypedResults.Ok(rows.Select(r => new AuditEventView(r.Id, r.Kind, JsonDocument.Parse(r.Data).RootElement.Clone(),
            r.ConfigVersion, Times.From(r.CreatedAt))).ToList());
    }
}

public sealed record AuditEventView(Guid Id, string Kind, JsonElement Data, int? ConfigVersion, DateTimeOffset CreatedAt);
