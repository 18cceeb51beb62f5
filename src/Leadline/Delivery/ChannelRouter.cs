using Leadline.Hosting;

namespace Leadline.Delivery;

/// <summary>Picks how a message reaches a lead: back on the channel it came from, where we can.</summary>
public sealed class ChannelRouter(IEnumerable<IOutboundChannel> channels, LeadlineOptions options)
{
    private readonly Dictionary<string, IOutboundChannel> _channels = channels.ToDictionary(c => c.Name);

    /// <summary>The configured e-mail channel: smtp, sendgrid, or log when neither is configured.</summary>
    public IOutboundChannel Email => _channels[options.EmailChannel];

    public IOutboundChannel Log => _channels["log"];

    /// <summary>Returns the channel and the address for a reply, or null when the lead left no way to answer.</summary>
    public (IOutboundChannel Channel, string To)? ForLead(string conversationChannel, string? email, string? phone)
    {
        bool phoneFirst = conversationChannel is "sms" or "whatsapp" or "voice";
        if (phoneFirst && phone is not null)
        {
            // Text messaging arrives with the Twilio channels; until then texts are recorded, not sent.
            return (Log, phone);
        }
        if (email is not null)
        {
            return (Email, email);
        }
        if (phone is not null)
        {
            return (Log, phone);
        }
        return null;
    }
}
