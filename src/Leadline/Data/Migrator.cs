using System.Reflection;
using Dapper;

namespace Leadline.Data;

/// <summary>Applies the numbered SQL files under Data/Migrations/{dialect} that are not yet recorded.</summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    public static IReadOnlyList<(int Version, string Name, string Resource)> Available(Dialect dialect)
    {
        string folder = dialect == Dialect.Postgres ? ".postgres." : ".sqlite.";
        return typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(r => r.Contains(".Data.Migrations" + folder, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .Select(r =>
            {
                string file = r[(r.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..];
                int version = int.Parse(file.AsSpan(0, file.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
                return (version, file, r);
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    /// <summary>Returns the versions not yet applied (empty when the schema is current).</summary>
    public async Task<IReadOnlyList<int>> PendingAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(CreateTable);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
        return Available(db.Dialect).Where(m => !applied.Contains(m.Version)).Select(m => m.Version).ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken ct = default)
    {
        int count = 0;
        await db.InTransactionAsync(async tx =>
        {
            if (db.Dialect == Dialect.Postgres)
            {
                // Several instances may start at once; one applies the migrations, the others wait and find nothing to do.
                await tx.ExecuteAsync("SELECT pg_advisory_xact_lock(727001)");
            }
            await tx.ExecuteAsync(CreateTable);
            var applied = (await tx.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (version, name, resource) in Available(db.Dialect))
            {
                if (applied.Contains(version))
                {
                    continue;
                }
                await using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
                string sql = await new StreamReader(stream).ReadToEndAsync(ct);
                await tx.ExecuteAsync(sql);
                await tx.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                    new { version, name, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
                logger.LogInformation("Applied migration {Migration}", name);
                count++;
            }
        }, ct);
        return count;
    }
}
