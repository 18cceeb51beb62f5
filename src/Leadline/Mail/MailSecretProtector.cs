using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace Leadline.Mail;

/// <summary>
/// Encrypts a tenant's mail secrets for storage (its mailbox, with the password; its inbound-parse URL secret) with
/// ASP.NET Core Data Protection, like <see cref="Tenants.TwilioCredentialProtector"/>. The purpose names the kind of
/// secret and the tenant, so a value copied onto another tenant's row, or into another column, does not decrypt.
/// </summary>
public sealed partial class MailSecretProtector(
    IDataProtectionProvider provider, MailOptions options, ILogger<MailSecretProtector> logger)
{
    public const string Purpose = "Leadline.Mail.Secrets.v1";

    private readonly IDataProtector _root = provider.CreateProtector(Purpose);

    // Stored values already reported unreadable: the mailbox list is read every minute, the error is logged once.
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);

    private sealed record StoredMailbox(Guid TenantId, string Slug, string Ciphertext);

    public string Protect(Guid tenantId, string kind, string plaintext) => For(tenantId, kind).Protect(plaintext);

    /// <summary>
    /// The stored value, or null when this key ring cannot decrypt it (the key directory was lost or is another):
    /// logged as an error naming the tenant, so the mailbox is visibly not read rather than silently.
    /// </summary>
    public string? Unprotect(Guid tenantId, string tenantSlug, string kind, string ciphertext)
    {
        try
        {
            return For(tenantId, kind).Unprotect(ciphertext);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            if (_reported.TryAdd($"{tenantId:N} {kind} {ciphertext}", 0))
            {
                LogUnreadable(Describe(kind), tenantSlug, e.Message, options.KeysDirectory);
            }
            return null;
        }
    }

    /// <summary>
    /// At start: logs an error for each tenant whose stored mailbox this key ring cannot decrypt (so the operator
    /// learns of a lost key directory when the service starts, not when leads go unanswered); returns how many.
    /// </summary>
    public async Task<int> CheckStoredAsync(Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var stored = await connection.QueryAsync<StoredMailbox>("""
            SELECT c.tenant_id AS TenantId, t.slug, c.ciphertext FROM tenant_credentials c JOIN tenants t ON t.id = c.tenant_id
            WHERE c.provider = @Provider
            """, new { Mailboxes.Provider });
        return stored.Count(s => Unprotect(s.TenantId, s.Slug, Mailboxes.Provider, s.Ciphertext) is null);
    }

    private static string Describe(string kind) => kind switch
    {
        Mailboxes.Provider => "mailbox (IMAP login)",
        InboundSecrets.Kind => "inbound-parse URL secret",
        _ => kind,
    };

    private IDataProtector For(Guid tenantId, string kind) => _root.CreateProtector(kind, tenantId.ToString("N"));

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored {Kind} of tenant {Tenant} cannot be decrypted ({Reason}), so it is not used; "
        + "restore the key ring in {KeysDirectory} (DATA_PROTECTION_KEYS_DIR) or set it again.")]
    private partial void LogUnreadable(string kind, string tenant, string reason, string keysDirectory);
}
