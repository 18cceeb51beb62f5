using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Delivery;

/// <summary>Picks how a message reaches a lead: back on the channel it came from, where we can.</summary>
public sealed class ChannelRouter(IEnumerable<IOutboundChannel> channels, DeliveryOptions options, TwilioAccounts twilio)
{
    private readonly Dictionary<string, IOutboundChannel> _channels = channels.ToDictionary(c => c.Name);

    /// <summary>The configured e-mail channel: smtp, sendgrid, or log when neither is configured.</summary>
    public IOutboundChannel Email => _channels[options.EmailChannel];

    public IOutboundChannel Log => _channels["log"];

    /// <summary>
    /// Returns the channel and the address for a reply, with the Twilio account a text goes through, or null when
    /// the lead left no way to answer.
    /// </summary>
    public (IOutboundChannel Channel, string To, TwilioAccount? Twilio)? ForLead(
        Tenant tenant, string conversationChannel, string? email, string? phone)
    {
        bool phoneFirst = conversationChannel is "sms" or "whatsapp" or "voice";
        if (phoneFirst && phone is not null)
        {
            return Text(tenant, conversationChannel, phone);
        }
        if (email is not null)
        {
            return (Email, email, null);
        }
        if (phone is not null)
        {
            // Replies to web forms and chats are written for e-mail length, too long for a text: recorded, not sent.
            return (Log, phone, null);
        }
        return null;
    }

    /// <summary>
    /// WhatsApp answers on WhatsApp, texts and missed calls by SMS; without a Twilio account and sender for that,
    /// the text is recorded by the log channel instead of sent.
    /// </summary>
    private (IOutboundChannel, string, TwilioAccount?) Text(Tenant tenant, string conversationChannel, string phone)
    {
        TwilioAccount? account = twilio.For(tenant);
        bool whatsApp = conversationChannel == "whatsapp";
        string? sender = whatsApp ? account?.WhatsAppFrom : account?.SmsFrom;
        if (account is null || sender is null)
        {
            return (Log, phone, null);
        }
        return (_channels[whatsApp ? TwilioChannel.WhatsApp : TwilioChannel.Sms], phone, account);
    }
}
