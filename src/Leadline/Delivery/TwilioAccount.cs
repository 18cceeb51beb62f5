using System.Collections.Concurrent;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Delivery;

/// <summary>The Twilio account a tenant sends and receives through, with its sender numbers (E.164).</summary>
public sealed partial record TwilioAccount(string AccountSid, string AuthToken, string? SmsFrom, string? WhatsAppFrom)
{
    /// <summary>Whether the text has the shape of an account SID: <c>AC</c> and 32 hex digits.</summary>
    public static bool IsAccountSid(string text) => AccountSidPattern().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial System.Text.RegularExpressions.Regex AccountSidPattern();

    // A record prints every property; the auth token must not reach a log through a message that carries the account.
    public override string ToString() => $"TwilioAccount {{ AccountSid = {AccountSid}, SmsFrom = {SmsFrom}, WhatsAppFrom = {WhatsAppFrom} }}";
}

/// <summary>
/// Finds a tenant's Twilio account: its own when it has one, else the instance's (TWILIO_* variables); null when
/// neither is configured, and texts then go to the log channel.
/// </summary>
public sealed class TwilioAccounts(DeliveryOptions options, TwilioCredentialProtector protector)
{
    // Per tenant: the ciphertext last seen and what it decrypted to. Every encryption is randomised, so new
    // credentials arrive as a new ciphertext on the tenant (within TenantStore's cache time on other instances).
    private readonly ConcurrentDictionary<Guid, (string Ciphertext, TwilioAccount? Account)> _own = new();

    public TwilioAccount? Default { get; } = options.Twilio;

    /// <summary>
    /// Called on every send and webhook, so it decrypts a tenant's own account once and then answers from memory.
    /// A tenant whose own account cannot be decrypted gets null (logged once), never the instance's account.
    /// </summary>
    public TwilioAccount? For(Tenant tenant)
    {
        if (tenant.TwilioCiphertext is not { } ciphertext)
        {
            return Default;
        }
        if (_own.TryGetValue(tenant.Id, out var known) && known.Ciphertext == ciphertext)
        {
            return known.Account;
        }
        TwilioAccount? account = protector.Unprotect(tenant.Id, tenant.Slug, ciphertext) is { } stored
            ? stored with { WhatsAppFrom = stored.WhatsAppFrom ?? stored.SmsFrom }
            : null;
        _own[tenant.Id] = (ciphertext, account);
        return account;
    }

    /// <summary>Drops what is cached for the tenant, when its credentials change or are removed.</summary>
    public void Forget(Guid tenantId) => _own.TryRemove(tenantId, out _);
}
