using Leadline.Delivery;
using Leadline.Jobs;
using Leadline.Observability;

namespace Leadline.Alerts;

/// <summary>
/// One alert through one channel, the way every alert job sends: counted as <c>send_success_total</c> or
/// <c>send_failure_total</c> on the channel's name with <c>-alert</c>, a rejection made permanent (no retry can help)
/// and a provider's Retry-After handed to the job queue.
/// </summary>
public static class AlertSend
{
    public static async Task<SendReceipt> SendAsync(IOutboundChannel channel, OutboundMessage message, Metrics metrics, string tenantSlug, CancellationToken ct)
    {
        try
        {
            SendReceipt receipt = await channel.SendAsync(message, ct);
            metrics.Increment("send_success_total", ("tenant", tenantSlug), ("channel", channel.Name + "-alert"));
            return receipt;
        }
        catch (DeliveryException e)
        {
            metrics.Increment("send_failure_total", ("tenant", tenantSlug), ("channel", channel.Name + "-alert"),
                ("kind", e.Permanent ? "permanent" : "transient"));
            if (e.Permanent)
            {
                throw new PermanentJobFailure(e.Message, e);
            }
            throw e.RetryAfter is TimeSpan wait ? new RetryLaterException(e.Message, wait, e) : e;
        }
    }
}
