using System.Net.Sockets;
using System.Security.Authentication;
using Leadline.Observability;

namespace Leadline.Delivery;

/// <summary>
/// Sends e-mail through the server in <c>SMTP_URL</c>, one connection per message (the job queue decides when and
/// how often to try). The receipt is the message's Message-ID, which stays the same on every retry.
/// </summary>
public sealed partial class SmtpChannel(SmtpOptions? options, TimeProvider clock, ILogger<SmtpChannel> logger) : IOutboundChannel
{
    public string Name => "smtp";

    public async Task<SendReceipt> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (options is null)
        {
            throw new DeliveryException("SMTP_URL is not set, so there is no SMTP server to send through", permanent: true);
        }
        string messageId = EmailComposer.MessageId(message);
        string data = EmailComposer.Compose(message, messageId, clock.GetUtcNow());
        string from = EmailComposer.AsciiAddress(message.From);
        string to = EmailComposer.AsciiAddress(message.To);

        try
        {
            await using SmtpSession session = await SmtpSession.OpenAsync(options, ct);
            if (!session.IsEncrypted && !options.IsLoopback)
            {
                LogUnencrypted(options.Host);
            }
            try
            {
                await session.SendAsync(from, to, data, ct);
            }
            catch (DeliveryException)
            {
                await session.QuitAsync(ct);
                throw;
            }
            await session.QuitAsync(ct);
            LogAccepted(message.IdempotencyKey, options.Host, session.IsEncrypted, session.AuthMechanism ?? "none");
            return new SendReceipt(messageId);
        }
        catch (DeliveryException e)
        {
            // The server's text may quote the recipient; errors end up in logs, which must not hold addresses.
            throw new DeliveryException(Redact.Contacts(e.Message), e.Permanent, e.RetryAfter, e);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or AuthenticationException)
        {
            // Refused connections, resets, timeouts and failed TLS handshakes may all heal: the queue tries again.
            throw new DeliveryException($"SMTP {options.Host}:{options.Port}: {Redact.Contacts(e.Message)}", permanent: false, inner: e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageKey} accepted by SMTP server {Host} (TLS {Tls}, auth {Auth})")]
    private partial void LogAccepted(string messageKey, string host, bool tls, string auth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server {Host} offers no STARTTLS: mail to it travels unencrypted")]
    private partial void LogUnencrypted(string host);
}
