using System.Security.Cryptography;
using Leadline.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace Leadline.Mail;

/// <summary>
/// Encrypts a tenant's mail secrets for storage (its mailbox, with the password; its inbound-parse URL secret) with
/// ASP.NET Core Data Protection, like <see cref="Tenants.TwilioCredentialProtector"/>. The purpose names the kind of
/// secret and the tenant, so a value copied onto another tenant's row, or into another column, does not decrypt.
/// </summary>
public sealed partial class MailSecretProtector(
    IDataProtectionProvider provider, LeadlineOptions options, ILogger<MailSecretProtector> logger)
{
    public const string Purpose = "Leadline.Mail.Secrets.v1";

    private readonly IDataProtector _root = provider.CreateProtector(Purpose);

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
            LogUnreadable(kind, tenantSlug, e.Message, options.DataProtectionKeysDir);
            return null;
        }
    }

    private IDataProtector For(Guid tenantId, string kind) => _root.CreateProtector(kind, tenantId.ToString("N"));

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} of tenant {Tenant} cannot be decrypted ({Reason}); restore the key ring "
        + "in {KeysDirectory} (DATA_PROTECTION_KEYS_DIR) or set it again.")]
    private partial void LogUnreadable(string kind, string tenant, string reason, string keysDirectory);
}
