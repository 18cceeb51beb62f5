using System.Net.Sockets;
using Leadline.Observability;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Leadline.Delivery;

/// <summary>
/// Sends e-mail through the server in <c>SMTP_URL</c> with MailKit's <see cref="SmtpClient"/>, one connection per
/// message (the job queue decides when and how often to try). The receipt is the message's Message-ID, which stays
/// the same on every retry. A refusal with a 5xx reply is permanent; a 4xx reply, a broken or refused connection,
/// a failed TLS handshake and a server that falls silent are transient, so the queue tries again.
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
        string messageId = MailComposer.MessageId(message);
        MimeMessage mail = MailComposer.Compose(message, messageId, clock.GetUtcNow());
        string peer = $"SMTP {options.Host}:{options.Port}";

        using var client = new SmtpClient { Timeout = (int)options.CommandTimeout.TotalMilliseconds };
        // Self-signed certificates are accepted only on loopback and only when SMTP_TLS_INSECURE_LOOPBACK says so.
        bool anyCertificate = options.AcceptAnyCertificateOnLoopback && options.IsLoopback;
        client.ServerCertificateValidationCallback = (_, _, _, errors) => anyCertificate || errors == System.Net.Security.SslPolicyErrors.None;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connect.CancelAfter(options.ConnectTimeout + options.CommandTimeout);
                SecureSocketOptions security = options.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
                await client.ConnectAsync(options.Host, options.Port, security, connect.Token);
            }
            if (!client.IsSecure && !options.IsLoopback)
            {
                LogUnencrypted(options.Host);
            }
            if (options.HasCredentials)
            {
                client.AuthenticationMechanisms.Remove("XOAUTH2");
                await client.AuthenticateAsync(options.UserName!, options.Password ?? "", ct);
            }
            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(quit: true, ct);
            LogAccepted(message.IdempotencyKey, options.Host, client.IsSecure, options.HasCredentials);
            return new SendReceipt(messageId);
        }
        catch (SmtpCommandException e)
        {
            int code = (int)e.StatusCode;
            string what = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => "the recipient",
                SmtpErrorCode.SenderNotAccepted => "the sender",
                SmtpErrorCode.MessageNotAccepted => "the message",
                _ => "a command",
            };
            await QuitQuietlyAsync(client);
            // The server's text may quote the recipient; errors end up in logs, which must not hold addresses.
            throw new DeliveryException($"{peer} refused {what}: {code} {Redact.Contacts(e.Message)}", permanent: code >= 500, inner: e);
        }
        catch (AuthenticationException e)
        {
            // Wrong credentials stay wrong until someone changes SMTP_URL: retrying only risks locking the account.
            string reply = e.InnerException is SmtpCommandException refusal ? $"{(int)refusal.StatusCode} {refusal.Message}" : e.Message;
            await QuitQuietlyAsync(client);
            throw new DeliveryException($"{peer} refused the login of {options.UserName}: {Redact.Contacts(reply)}", permanent: true, inner: e);
        }
        catch (Exception e) when (Silent(e, ct))
        {
            throw new DeliveryException($"{peer} did not answer within {options.CommandTimeout.TotalSeconds:0.#} s", permanent: false, inner: e);
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or SslHandshakeException or NotSupportedException)
        {
            // Refused connections, resets, garbled replies and failed TLS handshakes may all heal: the queue tries again.
            throw new DeliveryException($"{peer}: {Redact.Contacts(e.Message)}", permanent: false, inner: e);
        }
    }

    /// <summary>Whether the failure is the server falling silent (MailKit's timeout), not our caller cancelling.</summary>
    private static bool Silent(Exception e, CancellationToken ct) =>
        (e is TimeoutException || e.InnerException is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested)
            || (e.InnerException as SocketException)?.SocketErrorCode == SocketError.TimedOut);

    /// <summary>The server is there and answered, just not with yes: say goodbye instead of dropping the line.</summary>
    private static async Task QuitQuietlyAsync(SmtpClient client)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(quit: true, quick.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or OperationCanceledException or SmtpCommandException)
        {
            // A server that already hung up has nothing left to hear.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageKey} accepted by SMTP server {Host} (TLS {Tls}, authenticated {Authenticated})")]
    private partial void LogAccepted(string messageKey, string host, bool tls, bool authenticated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server {Host} offers no STARTTLS: mail to it travels unencrypted")]
    private partial void LogUnencrypted(string host);
}
