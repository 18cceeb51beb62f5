using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Observability;

namespace Leadline.Tenants;

/// <summary>
/// Reads, sets and removes a tenant's own Twilio account, shared by the HTTP API and the CLI. Every change is
/// audited without the auth token, and takes effect at once here (other instances: within TenantStore's cache time).
/// </summary>
public sealed class TwilioCredentials(
    Db db, TenantStore tenants, TwilioAccounts accounts, TwilioCredentialProtector protector, TimeProvider clock)
{
    /// <summary>A tenant's stored account; <see cref="Account"/> is null when this key ring cannot decrypt it.</summary>
    public sealed record Stored(TwilioAccount? Account, DateTimeOffset UpdatedAt);

    private sealed record Row(string Ciphertext, long UpdatedAt);

    /// <summary>The tenant's own account as stored now (not through any cache), or null when it has none.</summary>
    public async Task<Stored?> ReadAsync(Tenant tenant, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT ciphertext, updated_at AS UpdatedAt FROM tenant_credentials WHERE tenant_id = @Id AND provider = 'twilio'", new { tenant.Id });
        return row is null ? null : new Stored(protector.Unprotect(tenant.Id, tenant.Slug, row.Ciphertext), Times.From(row.UpdatedAt));
    }

    /// <summary>Stores the account, encrypted, in place of any earlier one; returns when it was stored.</summary>
    /// <param name="actor"><c>operator</c> or <c>tenant</c>: who made the change, for the audit trail.</param>
    public async Task<DateTimeOffset> SetAsync(Tenant tenant, TwilioAccount account, string actor, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        string ciphertext = protector.Protect(tenant.Id, account);
        await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                INSERT INTO tenant_credentials (tenant_id, provider, ciphertext, created_at, updated_at)
                VALUES (@Id, 'twilio', @ciphertext, @now, @now)
                ON CONFLICT (tenant_id, provider) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                """, new { tenant.Id, ciphertext, now });
            await Audit.RecordAsync(tx, tenant.Id, null, "credentials.twilio.set", new
            {
                account_sid = account.AccountSid,
                from_number = account.SmsFrom,
                whatsapp_from = account.WhatsAppFrom,
                by = actor,
            }, now, tenant.ConfigVersion);
        }, ct);
        Changed(tenant);
        return Times.From(now);
    }

    /// <summary>Removes the tenant's own account (it goes back to the instance's); false when it had none.</summary>
    public async Task<bool> RemoveAsync(Tenant tenant, string actor, CancellationToken ct)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool removed = await db.InTransactionAsync(async tx =>
        {
            int rows = await tx.ExecuteAsync(
                "DELETE FROM tenant_credentials WHERE tenant_id = @Id AND provider = 'twilio'", new { tenant.Id });
            if (rows > 0)
            {
                await Audit.RecordAsync(tx, tenant.Id, null, "credentials.twilio.removed", new { by = actor }, now, tenant.ConfigVersion);
            }
            return rows > 0;
        }, ct);
        Changed(tenant);
        return removed;
    }

    private void Changed(Tenant tenant)
    {
        tenants.Invalidate();
        accounts.Forget(tenant.Id);
    }
}
