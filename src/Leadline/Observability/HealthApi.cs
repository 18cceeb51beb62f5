using Dapper;
using Leadline.Data;

namespace Leadline.Observability;

public static class HealthApi
{
    /// <summary>A due job still pending after this long means no worker is taking jobs.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthAsync).WithTags("Health").WithName("Health")
            .WithSummary("Liveness: the database answers and the job queue is moving.");
        app.MapGet("/readyz", ReadyAsync).WithTags("Health").WithName("Ready")
            .WithSummary("Readiness: every migration is applied.");
        app.MapMetrics();
        return app;
    }

    public sealed record HealthView(string Status, string Database, string Queue, long JobsPending, long OldestDueJobAgeSeconds, long JobsDead);

    private static async Task<IResult> HealthAsync(Db db, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var q = await connection.QuerySingleAsync<(long Pending, long? OldestDue, long Dead)>("""
                SELECT (SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running')),
                       (SELECT MIN(run_at) FROM jobs WHERE status = 'pending' AND run_at <= @now),
                       (SELECT COUNT(*) FROM jobs WHERE status = 'dead')
                """, new { now });
            long age = q.OldestDue is long due ? (now - due) / 1000 : 0;
            bool stuck = age > StuckAfter.TotalSeconds;
            var view = new HealthView(stuck ? "degraded" : "ok", "ok", stuck ? "stuck" : "ok", q.Pending, age, q.Dead);
            return stuck ? Results.Json(view, Json.Options, statusCode: 503) : Results.Json(view, Json.Options);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return Results.Problem(statusCode: 503, title: "Database unreachable",
                detail: $"The database ({db.Url.Display}) did not answer: {e.Message}");
        }
    }

    private static async Task<IResult> ReadyAsync(Migrator migrator, CancellationToken ct)
    {
        try
        {
            IReadOnlyList<int> pending = await migrator.PendingAsync(ct);
            return pending.Count == 0
                ? Results.Json(new { status = "ready" })
                : Results.Problem(statusCode: 503, title: "Migrations pending",
                    detail: $"Migrations {string.Join(", ", pending)} are not applied; run './leadline migrate' or restart the service.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return Results.Problem(statusCode: 503, title: "Database unreachable", detail: e.Message);
        }
    }
}
