using System.Collections.Concurrent;
using Dapper;
using Leadline.Data;

namespace Leadline.Tenants;

/// <summary>
/// Reads and writes tenants. Lookups by API key hash are cached briefly: they sit on every request's path.
/// Changes made here clear the cache at once; other instances see them within <see cref="CacheTtl"/>.
/// </summary>
public sealed class TenantStore(Db db, TimeProvider clock)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Tenant? Tenant, long Expires)> _cache = new();

    private const string Columns = """
        id, slug, name, status, config, config_version AS ConfigVersion,
        (SELECT c.ciphertext FROM tenant_credentials c WHERE c.tenant_id = tenants.id AND c.provider = 'twilio') AS TwilioCiphertext
        """;

    private sealed record Row(Guid Id, string Slug, string Name, string Status, string Config, int ConfigVersion, string? TwilioCiphertext)
    {
        public Tenant ToTenant() => new(Id, Slug, Name, Status, Json.Deserialize<TenantSettings>(Config) ?? new(), ConfigVersion)
        {
            TwilioCiphertext = TwilioCiphertext,
        };
    }

    public Task<Tenant?> FindByKeyAsync(string apiKey, CancellationToken ct) =>
        CachedAsync("key:" + ApiKeys.Hash(apiKey), $"SELECT {Columns} FROM tenants WHERE api_key_hash = @Value", ApiKeys.Hash(apiKey), ct);

    public Task<Tenant?> FindBySlugAsync(string slug, CancellationToken ct) =>
        CachedAsync("slug:" + slug, $"SELECT {Columns} FROM tenants WHERE slug = @Value", slug, ct);

    public async Task<Tenant?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM tenants WHERE id = @id", new { id });
        return row?.ToTenant();
    }

    /// <summary>By id, through the short cache: for jobs, which read the tenant of every message they handle.</summary>
    public Task<Tenant?> FindCachedAsync(Guid id, CancellationToken ct) =>
        CachedAsync("id:" + id, $"SELECT {Columns} FROM tenants WHERE id = @Value", id, ct);

    /// <summary>Finds a tenant by id or slug, as operators write either in URLs and headers.</summary>
    public async Task<Tenant?> FindByIdOrSlugAsync(string idOrSlug, CancellationToken ct) =>
        Guid.TryParse(idOrSlug, out Guid id) ? await FindAsync(id, ct) : await FindBySlugAsync(idOrSlug, ct);

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM tenants ORDER BY slug");
        return rows.Select(r => r.ToTenant()).ToList();
    }


    /// <summary>Creates a tenant with its first config version; returns it and its API key (the only time it is visible).</summary>
    public async Task<(Tenant Tenant, string ApiKey)> CreateAsync(Tx tx, string slug, string name, TenantSettings settings)
    {
        string key = ApiKeys.New();
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var tenant = new Tenant(Guid.CreateVersion7(), slug, name, "active", settings, 1);
        await tx.ExecuteAsync("""
            INSERT INTO tenants (id, slug, name, status, api_key_hash, api_key_prefix, config, config_version, created_at, updated_at)
            VALUES (@Id, @Slug, @Name, 'active', @Hash, @Prefix, @Config, 1, @Now, @Now)
            """, new { tenant.Id, Slug = slug, Name = name, Hash = ApiKeys.Hash(key), Prefix = ApiKeys.Prefix(key), Config = Json.Serialize(settings), Now = now });
        await tx.ExecuteAsync("""
            INSERT INTO config_versions (tenant_id, version, snapshot, reason, created_at)
            VALUES (@Id, 1, @Snapshot, 'created', @Now)
            """, new { tenant.Id, Snapshot = Json.Serialize(new { settings, faqs = Array.Empty<object>() }), Now = now });
        return (tenant, key);
    }

    public async Task<bool> SlugExistsAsync(string slug, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM tenants WHERE slug = @slug", new { slug }) > 0;
    }

    /// <summary>Issues a new API key; the old one stops working at once (here; within the cache time elsewhere).</summary>
    public async Task<string> RotateKeyAsync(Guid tenantId, CancellationToken ct)
    {
        string key = ApiKeys.New();
        await db.InTransactionAsync(tx => tx.ExecuteAsync(
            "UPDATE tenants SET api_key_hash = @Hash, api_key_prefix = @Prefix, updated_at = @Now WHERE id = @tenantId",
            new { Hash = ApiKeys.Hash(key), Prefix = ApiKeys.Prefix(key), Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), tenantId }), ct);
        Invalidate();
        return key;
    }

    public void Invalidate() => _cache.Clear();

    private async Task<Tenant?> CachedAsync(string cacheKey, string sql, object value, CancellationToken ct)
    {
        long now = Environment.TickCount64;
        if (_cache.TryGetValue(cacheKey, out var hit) && hit.Expires > now)
        {
            return hit.Tenant;
        }
        await using var connection = await db.OpenAsync(ct);
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>(sql, new { Value = value });
        Tenant? tenant = row?.ToTenant();
        _cache[cacheKey] = (tenant, now + (long)CacheTtl.TotalMilliseconds);
        return tenant;
    }
}
