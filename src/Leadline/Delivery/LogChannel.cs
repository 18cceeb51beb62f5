namespace Leadline.Delivery;

/// <summary>Records messages without sending them: the default when no provider is configured.</summary>
public sealed partial class LogChannel(ILogger<LogChannel> logger) : IOutboundChannel
{
    public string Name => "log";

    public Task<SendReceipt> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        LogRecorded(message.IdempotencyKey, message.Body.Length);
        LogBody(message.To, message.Body);
        return Task.FromResult(new SendReceipt("log-" + message.IdempotencyKey));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageKey} recorded by the log channel ({Length} characters, not sent)")]
    private partial void LogRecorded(string messageKey, int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log channel message to {To}: {Body}")]
    private partial void LogBody(string to, string body);
}
