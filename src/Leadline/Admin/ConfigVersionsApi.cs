using System.Data.Common;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Admin;

/// <summary>Config versions and rollback: the "tweak window" of seed 000, to change and undo without a redeploy.</summary>
public static class ConfigVersionsApi
{
    public static IEndpointRouteBuilder MapConfigVersions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").RequireTenant().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/config-versions", ListAsync).WithName("ListConfigVersions")
            .WithSummary("The tenant's config versions, newest first (at most 'limit', default 100).");
        group.MapGet("/config-versions/{version:int}", GetAsync).WithName("GetConfigVersion")
            .WithSummary("One version with its full snapshot: settings and FAQs.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/rollback", RollbackAsync).WithName("Rollback")
            .WithSummary("Re-activate an older version's settings and FAQs, as a new version.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private sealed record Row(int Version, string Reason, long CreatedAt);

    private const string SelectVersions = """
        SELECT version, reason, created_at FROM config_versions
        WHERE tenant_id = @TenantId ORDER BY version DESC LIMIT @limit
        """;

    private static async Task<Ok<ConfigVersionList>> ListAsync(Tenant tenant, Db db, CancellationToken ct, int? limit = null)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        int current = await connection.ExecuteScalarAsync<int>("SELECT config_version FROM tenants WHERE id = @Id", new { tenant.Id });
        var rows = await connection.QueryAsync<Row>(SelectVersions, new { TenantId = tenant.Id, limit = Math.Clamp(limit ?? 100, 1, 1000) });
        return TypedResults.Ok(new ConfigVersionList(current, rows.Select(r =>
            new ConfigVersionView(r.Version, r.Reason, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.Version == current)).ToList()));
    }

    private sealed record SnapshotRow(int Version, string Reason, long CreatedAt, string Snapshot);

    private static async Task<Results<Ok<ConfigVersionDetail>, ProblemHttpResult>> GetAsync(int version, Tenant tenant, Db db, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        SnapshotRow? row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(
            "SELECT version, reason, created_at, snapshot FROM config_versions WHERE tenant_id = @TenantId AND version = @version",
            new { TenantId = tenant.Id, version });
        if (row is null)
        {
            return NoSuchVersion(version);
        }
        var snapshot = Json.Deserialize<ConfigVersions.Snapshot>(row.Snapshot);
        return TypedResults.Ok(new ConfigVersionDetail(row.Version, row.Reason, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            snapshot?.Settings ?? new(), snapshot?.Faqs ?? []));
    }

    private static async Task<Results<Ok<RollbackResult>, ProblemHttpResult>> RollbackAsync(
        RollbackRequest body, Tenant tenant, Db db, TenantStore store, TimeProvider clock, CancellationToken ct)
    {
        if (body.Version is not > 0)
        {
            return Problems.Validation(new() { ["version"] = ["Give the version to restore, a positive number from GET /v1/admin/config-versions."] });
        }
        int wanted = body.Version.Value;
        int? created = await db.InTransactionAsync(tx =>
        {
            tx.OnCommitted(store.Invalidate);
            return ConfigVersions.RollbackAsync(tx, tenant.Id, wanted, clock.GetUtcNow().ToUnixTimeMilliseconds());
        }, ct);
        return created is int version ? TypedResults.Ok(new RollbackResult(version, wanted)) : NoSuchVersion(wanted);
    }

    private static ProblemHttpResult NoSuchVersion(int version) =>
        Problems.Status(StatusCodes.Status404NotFound, "Not found",
            $"This tenant has no config version {version}; GET /v1/admin/config-versions lists the versions that exist.");
}

public sealed record ConfigVersionView(int Version, string Reason, DateTimeOffset CreatedAt, bool Active);

public sealed record ConfigVersionList(int ConfigVersion, List<ConfigVersionView> Versions);

public sealed record ConfigVersionDetail(
    int Version, string Reason, DateTimeOffset CreatedAt, Tenants.TenantSettings Settings, List<Knowledge.FaqView> Faqs);

public sealed record RollbackRequest(int? Version);

public sealed record RollbackResult(int ConfigVersion, int RestoredVersion);
