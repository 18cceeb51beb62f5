using Dapper;
using Leadline.Data;
using Leadline.Jobs;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Jobs;

/// <summary>Job rows written straight into the table, as another version (or another process) would have left them.</summary>
public static class StoredJobs
{
    public static async Task<Guid> InsertAsync(LeadlineApp app, string kind, Guid? tenantId, string payload, string? key = null)
    {
        Guid id = Guid.CreateVersion7();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var connection = await app.Services.GetRequiredService<Db>().OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO jobs (id, kind, tenant_id, payload, unique_key, status, run_at, attempts, max_attempts, created_at, updated_at)
                VALUES (@id, @kind, @tenantId, @payload, @key, 'pending', @now, 0, 8, @now, @now)
                """, new { id, kind, tenantId, payload, key, now });
        }
        app.Services.GetRequiredService<JobSignal>().Pulse();
        return id;
    }

    /// <summary>The job's status and last error once it is no longer pending or running (or after ten seconds).</summary>
    public static async Task<(string Status, string? LastError)> SettledAsync(LeadlineApp app, Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        (string Status, string? LastError) row;
        do
        {
            await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync();
            row = await connection.QuerySingleAsync<(string, string?)>("SELECT status, last_error FROM jobs WHERE id = @id", new { id });
            if (row.Status is "done" or "dead")
            {
                return row;
            }
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        return row;
    }
}
