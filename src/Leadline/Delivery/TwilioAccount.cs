using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Delivery;

/// <summary>The Twilio account a tenant sends and receives through, with its sender numbers (E.164).</summary>
public sealed record TwilioAccount(string AccountSid, string AuthToken, string? SmsFrom, string? WhatsAppFrom)
{
    // A record prints every property; the auth token must not reach a log through a message that carries the account.
    public override string ToString() => $"TwilioAccount {{ AccountSid = {AccountSid}, SmsFrom = {SmsFrom}, WhatsAppFrom = {WhatsAppFrom} }}";
}

/// <summary>
/// Finds a tenant's Twilio account: its own when it has one, else the instance's (TWILIO_* variables); null when
/// neither is configured, and texts then go to the log channel.
/// </summary>
public sealed class TwilioAccounts(LeadlineOptions options)
{
    public TwilioAccount? Default { get; } = options.TwilioAccountSid is { } sid && options.TwilioAuthToken is { } token
        ? new TwilioAccount(sid, token, options.TwilioFromNumber, options.TwilioWhatsAppFrom ?? options.TwilioFromNumber)
        : null;

    public TwilioAccount? For(Tenant tenant) => Default;
}
