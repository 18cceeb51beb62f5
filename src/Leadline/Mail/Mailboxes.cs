using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Mail;

/// <summary>
/// The mailboxes leads are read from: a tenant's own (stored encrypted in <c>tenant_credentials</c>, provider
/// <c>imap</c>, password included), else for the default tenant the instance's IMAP_* variables. Shared by the
/// mailbox API and <see cref="MailboxPoller"/>, which a change here wakes at once (other instances: within a minute).
/// </summary>
public sealed class Mailboxes(Db db, MailSecretProtector protector, MailOptions options, TimeProvider clock)
{
    public const string Provider = "imap";

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A mailbox to read, and whose it is; <see cref="Instance"/> when it comes from the IMAP_* variables.</summary>
    public sealed record Target(Guid TenantId, string TenantSlug, MailboxSettings Settings, bool Instance);

    /// <summary>A tenant's own mailbox as stored; <see cref="Settings"/> is null when the key ring cannot decrypt it.</summary>
    public sealed record Stored(MailboxSettings? Settings, DateTimeOffset UpdatedAt);

    private sealed record Row(Guid TenantId, string Slug, string Status, string Ciphertext, long UpdatedAt);

    private sealed record TenantRow(Guid Id, string Status);

    /// <summary>Completes at the next change of any mailbox; take it before reading the list, then wait on it.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public async Task<Stored?> ReadOwnAsync(Tenant tenant, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>("""
            SELECT tenant_id AS TenantId, '' AS Slug, '' AS Status, ciphertext, updated_at AS UpdatedAt
            FROM tenant_credentials WHERE tenant_id = @Id AND provider = 'imap'
            """, new { tenant.Id });
        return row is null ? null : new Stored(Decrypt(tenant.Id, tenant.Slug, row.Ciphertext), Times.From(row.UpdatedAt));
    }

    /// <summary>The instance's mailbox (IMAP_*) when <paramref name="tenant"/> is the default tenant, else null.</summary>
    public MailboxSettings? InstanceFor(Tenant tenant) => tenant.Slug == Tenant.DefaultSlug ? options.Imap : null;

    /// <summary>Every mailbox to read now: those of active tenants, and the instance's for the default tenant.</summary>
    public async Task<IReadOnlyList<Target>> ListAsync(CancellationToken ct)
    {
        IReadOnlyList<Row> rows;
        TenantRow? defaultTenant;
        await using (var connection = await db.OpenAsync(ct))
        {
            rows = [.. await connection.QueryAsync<Row>("""
                SELECT c.tenant_id AS TenantId, t.slug, t.status, c.ciphertext, c.updated_at AS UpdatedAt
                FROM tenant_credentials c JOIN tenants t ON t.id = c.tenant_id
                WHERE c.provider = 'imap'
                """)];
            defaultTenant = options.Imap is null ? null : await connection.QuerySingleOrDefaultAsync<TenantRow>(
                "SELECT id, status FROM tenants WHERE slug = @DefaultSlug", new { Tenant.DefaultSlug });
        }
        var targets = new List<Target>();
        foreach (Row row in rows.Where(r => r.Status != "paused"))
        {
            if (Decrypt(row.TenantId, row.Slug, row.Ciphertext) is { } settings)
            {
                targets.Add(new Target(row.TenantId, row.Slug, settings, Instance: false));
            }
        }
        if (options.Imap is { } instance && defaultTenant is { Status: not "paused" } d && rows.All(r => r.TenantId != d.Id))
        {
            targets.Add(new Target(d.Id, Tenant.DefaultSlug, instance, Instance: true));
        }
        return targets;
    }

    /// <summary>Stores the tenant's mailbox, encrypted, in place of any earlier one; returns when it was stored.</summary>
    public async Task<DateTimeOffset> SetAsync(Tenant tenant, MailboxSettings settings, string actor, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        string ciphertext = protector.Protect(tenant.Id, Provider, Json.Serialize(settings));
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                INSERT INTO tenant_credentials (tenant_id, provider, ciphertext, created_at, updated_at)
                VALUES (@Id, 'imap', @ciphertext, @now, @now)
                ON CONFLICT (tenant_id, provider) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                """, new { tenant.Id, ciphertext, now });
            await Audit.RecordAsync(tx, tenant.Id, null, "mailbox.set", new
            {
                host = settings.Host,
                port = settings.Port,
                username = settings.Username,
                tls = settings.Tls,
                folder = settings.Folder,
                by = actor,
            }, now, tenant.ConfigVersion);
        }, ct);
        Pulse();
        return Times.From(now);
    }

    /// <summary>Removes the tenant's own mailbox; false when it had none.</summary>
    public async Task<bool> RemoveAsync(Tenant tenant, string actor, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool removed = await db.InTransactionAsync(async tx =>
        {
            int rows = await tx.ExecuteAsync("DELETE FROM tenant_credentials WHERE tenant_id = @Id AND provider = 'imap'", new { tenant.Id });
            if (rows > 0)
            {
                await Audit.RecordAsync(tx, tenant.Id, null, "mailbox.removed", new { by = actor }, now, tenant.ConfigVersion);
            }
            return rows > 0;
        }, ct);
        Pulse();
        return removed;
    }

    /// <summary>Wakes the poller to read the list again (a mailbox was set or removed, a tenant paused or resumed).</summary>
    public void Pulse()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _changed, fresh).TrySetResult();
    }

    private MailboxSettings? Decrypt(Guid tenantId, string slug, string ciphertext) =>
        protector.Unprotect(tenantId, slug, Provider, ciphertext) is { } json ? Json.Deserialize<MailboxSettings>(json) : null;
}
