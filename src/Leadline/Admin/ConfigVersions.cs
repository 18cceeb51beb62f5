using Dapper;
using Leadline.Data;
using Leadline.Knowledge;
using Leadline.Tenants;

namespace Leadline.Admin;

/// <summary>
/// Config versioning (PRODUCT.md 2.10): every change to settings, tone, templates or FAQs bumps
/// <c>tenants.config_version</c> and stores a full snapshot (settings + FAQs) in <c>config_versions</c>, in the
/// transaction that made the change; rollback re-activates an old snapshot as a new version.
/// </summary>
public static class ConfigVersions
{
    public sealed record Snapshot(TenantSettings Settings, List<FaqView> Faqs);

    private sealed record Bumped(int ConfigVersion, string Config);

    // Bumping first takes the tenant row's lock (PostgreSQL), so concurrent changes to one tenant queue up here and
    // each snapshot, read after the lock, includes every change committed before it.
    private const string Bump = """
        UPDATE tenants SET config_version = config_version + 1, updated_at = @now
        WHERE id = @tenantId
        RETURNING config_version AS ConfigVersion, config AS Config
        """;

    private const string InsertVersion = """
        INSERT INTO config_versions (tenant_id, version, snapshot, reason, created_at)
        VALUES (@tenantId, @version, @snapshot, @reason, @now)
        """;

    /// <summary>
    /// Records a new version after the FAQ rows of this transaction changed, optionally changing the settings too
    /// (<paramref name="change"/> receives the current settings, read under the lock). Returns the new version.
    /// </summary>
    public static async Task<int> CommitAsync(
        Tx tx, Guid tenantId, string reason, long now, Func<TenantSettings, TenantSettings>? change = null)
    {
        Bumped bumped = await tx.QuerySingleAsync<Bumped>(Bump, new { tenantId, now });
        TenantSettings settings = Json.Deserialize<TenantSettings>(bumped.Config) ?? new();
        if (change is not null)
        {
            settings = change(settings);
            await tx.ExecuteAsync("UPDATE tenants SET config = @config WHERE id = @tenantId",
                new { config = Json.Serialize(settings), tenantId });
        }
        var snapshot = new Snapshot(settings, await FaqSql.ListAsync(tx, tenantId));
        await tx.ExecuteAsync(InsertVersion, new
        {
            tenantId,
            version = bumped.ConfigVersion,
            snapshot = Json.Serialize(snapshot),
            reason = reason.Length > 200 ? reason[..200] : reason,
            now,
        });
        return bumped.ConfigVersion;
    }

    /// <summary>Changes the settings (tone and templates are part of them) as a new config version; returns it.</summary>
    public static Task<int> ChangeSettingsAsync(
        Db db, TenantStore store, TimeProvider clock, Guid tenantId, string reason, Func<TenantSettings, TenantSettings> change,
        CancellationToken ct) =>
        db.InTransactionAsync(tx =>
        {
            tx.OnCommitted(store.Invalidate);
            return CommitAsync(tx, tenantId, reason, clock.GetUtcNow().ToUnixTimeMilliseconds(), change);
        }, ct);

    /// <summary>Re-activates <paramref name="version"/> as a new version; null when that version does not exist.</summary>
    public static async Task<int?> RollbackAsync(Tx tx, Guid tenantId, int version, long now)
    {
        string? json = await tx.QuerySingleOrDefaultAsync<string>(
            "SELECT snapshot FROM config_versions WHERE tenant_id = @tenantId AND version = @version", new { tenantId, version });
        if (json is null)
        {
            return null;
        }
        Snapshot old = Json.Deserialize<Snapshot>(json) ?? throw new InvalidOperationException($"config version {version} has an empty snapshot");
        await RestoreFaqsAsync(tx, tenantId, old.Faqs ?? []);
        return await CommitAsync(tx, tenantId, $"rollback to version {version}", now, _ => old.Settings ?? new());
    }

    /// <summary>Makes the tenant's FAQ rows equal to <paramref name="wanted"/>, touching only the rows that differ.</summary>
    private static async Task RestoreFaqsAsync(Tx tx, Guid tenantId, List<FaqView> wanted)
    {
        List<FaqView> current = await FaqSql.ListAsync(tx, tenantId);
        var wantedById = wanted.ToDictionary(f => f.Id);
        var currentById = current.ToDictionary(f => f.Id);
        foreach (FaqView faq in current.Where(f => !wantedById.ContainsKey(f.Id)))
        {
            await FaqSql.DeleteAsync(tx, tenantId, faq.Id);
        }
        var changed = wanted.Where(f => currentById.TryGetValue(f.Id, out FaqView? now) && !now.SameContent(f)).ToList();
        // Clear the external ids first, so that two FAQs swapping ids never collide on the unique index.
        foreach (FaqView faq in changed.Where(f => currentById[f.Id].ExternalId != f.ExternalId))
        {
            await tx.ExecuteAsync("UPDATE faqs SET external_id = NULL WHERE id = @Id AND tenant_id = @tenantId", new { faq.Id, tenantId });
        }
        foreach (FaqView faq in changed)
        {
            await FaqSql.UpdateAsync(tx, tenantId, faq);
        }
        foreach (FaqView faq in wanted.Where(f => !currentById.ContainsKey(f.Id)))
        {
            await FaqSql.InsertAsync(tx, tenantId, faq);
        }
    }
}
