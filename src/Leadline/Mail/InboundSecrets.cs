using System.Security.Cryptography;
using System.Text;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Mail;

/// <summary>
/// The secret in a tenant's SendGrid Inbound Parse URL (<c>/webhooks/email/inbound/{secret}</c>): generated on first
/// use, shown by GET /v1/admin/mailbox, rotated on request. It is found by its SHA-256 and kept encrypted for showing,
/// so a copy of the database alone neither reveals it nor lets anyone post mail as the tenant. For the default tenant,
/// SENDGRID_INBOUND_SECRET works too.
/// </summary>
public sealed class InboundSecrets(Db db, MailSecretProtector protector, MailOptions options, TimeProvider clock)
{
    internal const string Kind = "inbound-secret";

    private sealed record Row(string Ciphertext);

    public async Task<string> GetOrCreateAsync(Tenant tenant, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            await using (var connection = await db.OpenAsync(ct))
            {
                Row? row = await connection.QuerySingleOrDefaultAsync<Row>(
                    "SELECT ciphertext FROM inbound_email_secrets WHERE tenant_id = @Id", new { tenant.Id });
                if (row is not null)
                {
                    // Unreadable (the key ring was lost): a new one replaces it, as the old URL cannot be shown anyway.
                    return protector.Unprotect(tenant.Id, tenant.Slug, Kind, row.Ciphertext) ?? await StoreAsync(tenant, replace: true, ct);
                }
            }
            // Two first views at once must show the same secret: the first insert wins, the other reads it.
            await StoreAsync(tenant, replace: false, ct);
        }
        throw new InvalidOperationException("the inbound secret was neither found nor stored");
    }

    /// <summary>Replaces the secret; the old URL stops working at once.</summary>
    public Task<string> RotateAsync(Tenant tenant, CancellationToken ct) => StoreAsync(tenant, replace: true, ct);

    private async Task<string> StoreAsync(Tenant tenant, bool replace, CancellationToken ct)
    {
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        string hash = Hash(secret);
        string ciphertext = protector.Protect(tenant.Id, Kind, secret);
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        string conflict = replace
            ? "DO UPDATE SET secret_hash = excluded.secret_hash, ciphertext = excluded.ciphertext, created_at = excluded.created_at"
            : "DO NOTHING";
        await db.InTransactionAsync(tx => tx.ExecuteAsync($"""
            INSERT INTO inbound_email_secrets (tenant_id, secret_hash, ciphertext, created_at) VALUES (@Id, @hash, @ciphertext, @now)
            ON CONFLICT (tenant_id) {conflict}
            """, new { tenant.Id, hash, ciphertext, now }), ct);
        return secret;
    }

    /// <summary>The tenant a secret belongs to: the default tenant for SENDGRID_INBOUND_SECRET, else by hash; null when none.</summary>
    public async Task<Guid?> FindTenantAsync(string secret, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (options.SendGridInboundSecret is { } instance
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(instance)))
        {
            return await connection.QuerySingleOrDefaultAsync<Guid?>("SELECT id FROM tenants WHERE slug = @DefaultSlug", new { Tenant.DefaultSlug });
        }
        // Looking up a hash, not the secret itself, leaks nothing through timing: the attacker does not control the hash.
        return await connection.QuerySingleOrDefaultAsync<Guid?>(
            "SELECT tenant_id FROM inbound_email_secrets WHERE secret_hash = @hash", new { hash = Hash(secret) });
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
