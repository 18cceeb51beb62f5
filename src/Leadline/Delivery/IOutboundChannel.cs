namespace Leadline.Delivery;

/// <summary>A way of sending a message: log, smtp, sendgrid, twilio-sms, twilio-whatsapp.</summary>
public interface IOutboundChannel
{
    string Name { get; }

    /// <summary>
    /// Sends the message or throws <see cref="DeliveryException"/>. <see cref="OutboundMessage.IdempotencyKey"/>
    /// is stable across retries, so providers that honour one never deliver twice.
    /// </summary>
    Task<SendReceipt> SendAsync(OutboundMessage message, CancellationToken ct);
}

public sealed record OutboundMessage
{
    public required string IdempotencyKey { get; init; }
    public required string To { get; init; }
    public string? ToName { get; init; }

    /// <summary>The sender's e-mail address; texts go out from the number of <see cref="Twilio"/> instead.</summary>
    public required string From { get; init; }
    public string? FromName { get; init; }
    public string? Subject { get; init; }
    public required string Body { get; init; }

    /// <summary>The Message-ID of the lead's e-mail we answer, for <c>In-Reply-To</c> and <c>References</c>.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The tenant's Twilio account, for the twilio-sms and twilio-whatsapp channels.</summary>
    public TwilioAccount? Twilio { get; init; }
}

public sealed record SendReceipt(string ProviderMessageId);

/// <summary>
/// A failed send. <see cref="Permanent"/> failures (the provider rejected the request: 4xx, 5xx SMTP replies)
/// are not retried; the others are retried by the job queue, after <see cref="RetryAfter"/> when given.
/// </summary>
public sealed class DeliveryException(string message, bool permanent, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The provider's own error code when it gave one (Twilio's 21610: the number has opted out).</summary>
    public string? ProviderCode { get; init; }
}
