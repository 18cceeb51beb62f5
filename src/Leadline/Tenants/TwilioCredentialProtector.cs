using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace Leadline.Tenants;

/// <summary>
/// Encrypts a tenant's own Twilio account for storage with ASP.NET Core Data Protection (authenticated encryption;
/// keys rotate every 90 days and old ones stay in the ring to decrypt what they encrypted). The purpose names Twilio
/// credentials and the tenant, so a value copied onto another tenant's row does not decrypt.
/// </summary>
public sealed partial class TwilioCredentialProtector(
    IDataProtectionProvider provider, TenantsOptions options, ILogger<TwilioCredentialProtector> logger)
{
    public const string Purpose = "Leadline.Tenants.TwilioCredentials.v1";

    private readonly IDataProtector _root = provider.CreateProtector(Purpose);

    public string Protect(Guid tenantId, TwilioAccount account) => For(tenantId).Protect(Json.Serialize(account));

    /// <summary>
    /// The stored account, or null when this key ring cannot decrypt it (the key directory was lost or is not the one
    /// the value was written with). That is logged as an error naming the tenant and the directory: the tenant then
    /// texts through no account, rather than through the instance's under another business's name.
    /// </summary>
    public TwilioAccount? Unprotect(Guid tenantId, string tenantSlug, string ciphertext)
    {
        try
        {
            return Json.Deserialize<TwilioAccount>(For(tenantId).Unprotect(ciphertext));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            // The exception says which key is missing or that the value was altered; it never holds the plaintext.
            LogUnreadable(tenantSlug, e.Message, options.KeysDirectory);
            return null;
        }
    }

    private sealed record Stored(Guid TenantId, string Slug, string Ciphertext);

    /// <summary>
    /// At start: proves the key ring can be written and used (a new directory gets its first key now), and logs
    /// every tenant whose stored credentials it cannot decrypt, so a lost key directory shows at once, not at a send.
    /// </summary>
    public async Task<int> CheckStoredAsync(Db db, CancellationToken ct)
    {
        try
        {
            _root.Unprotect(_root.Protect("key ring check"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"the key ring in '{options.KeysDirectory}' cannot be used: {e.Message}");
        }
        await using var connection = await db.OpenAsync(ct);
        var stored = await connection.QueryAsync<Stored>("""
            SELECT c.tenant_id AS TenantId, t.slug, c.ciphertext FROM tenant_credentials c JOIN tenants t ON t.id = c.tenant_id
            WHERE c.provider = 'twilio'
            """);
        return stored.Count(s => Unprotect(s.TenantId, s.Slug, s.Ciphertext) is null);
    }

    private IDataProtector For(Guid tenantId) => _root.CreateProtector(tenantId.ToString("N"));

    [LoggerMessage(Level = LogLevel.Error, Message = "The Twilio credentials of tenant {Tenant} cannot be decrypted ({Reason}). "
        + "It sends no texts and its Twilio webhooks are refused until the key ring in {KeysDirectory} (DATA_PROTECTION_KEYS_DIR) "
        + "is restored or its credentials are set again.")]
    private partial void LogUnreadable(string tenant, string reason, string keysDirectory);
}
