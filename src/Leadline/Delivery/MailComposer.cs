using System.Globalization;
using MimeKit;

namespace Leadline.Delivery;

/// <summary>
/// Writes an <see cref="OutboundMessage"/> as a MimeKit message for SMTP: plain text in UTF-8, headers in ASCII
/// (MimeKit encodes names and subjects in other scripts as RFC 2047 words and international domains in punycode),
/// so it passes any relay, 8BITMIME or not.
/// </summary>
public static class MailComposer
{
    /// <summary>
    /// The Message-ID for a message: derived from its idempotency key, so a retry after a lost reply carries the
    /// same id and the receiving side can drop the duplicate.
    /// </summary>
    public static string MessageId(OutboundMessage message)
    {
        int at = message.From.LastIndexOf('@');
        string domain = at >= 0 && at < message.From.Length - 1 ? AsciiDomain(message.From[(at + 1)..]) : "leadline.localhost";
        return $"<{message.IdempotencyKey}@{domain}>";
    }

    public static MimeMessage Compose(OutboundMessage message, string messageId, DateTimeOffset date)
    {
        var mail = new MimeMessage();
        // A new MimeMessage comes with a Date, a random Message-ID and an empty Subject: ours are set below, or absent.
        mail.Headers.Clear();
        mail.Date = date.ToUniversalTime();
        mail.From.Add(Mailbox(message.FromName, message.From));
        mail.To.Add(Mailbox(message.ToName, message.To));
        if (!string.IsNullOrWhiteSpace(message.Subject))
        {
            mail.Subject = Clean(message.Subject)!.Trim();
        }
        mail.MessageId = messageId.Trim('<', '>');
        if (AngleId(message.InReplyTo) is { } parent)
        {
            // Set as given: the lead's mailer chose the id, and MimeKit's parsing of it could reject a quirky one.
            mail.Headers.Replace(HeaderId.InReplyTo, parent);
            mail.Headers.Replace(HeaderId.References, parent);
        }
        string body = message.Body.ReplaceLineEndings("\r\n");
        bool mostlyAscii = body.Count(c => c > 127) * 4 < body.Length;
        var text = new TextPart("plain")
        {
            // Quoted-printable keeps Latin text readable in the raw message; other scripts are a third the size in base64.
            ContentTransferEncoding = mostlyAscii ? ContentEncoding.QuotedPrintable : ContentEncoding.Base64,
        };
        text.SetText("utf-8", body);
        mail.Body = text;
        return mail;
    }

    /// <summary>An id for In-Reply-To and References: the inbound Message-ID as given, in angle brackets.</summary>
    public static string? AngleId(string? id)
    {
        string? clean = Clean(id)?.Trim();
        if (string.IsNullOrEmpty(clean))
        {
            return null;
        }
        return clean.StartsWith('<') && clean.EndsWith('>') ? clean : $"<{clean.Trim('<', '>')}>";
    }

    /// <summary>An address for the envelope and headers; the local part must be ASCII (no SMTPUTF8 here).</summary>
    /// <exception cref="DeliveryException">The address cannot be sent (permanent).</exception>
    public static MailboxAddress Mailbox(string? name, string address)
    {
        int at = address.LastIndexOf('@');
        string local = at > 0 ? address[..at] : address;
        if (!local.All(char.IsAscii) || local.Any(char.IsControl) || local.Contains(' ') || at <= 0)
        {
            throw new DeliveryException("the address has characters outside ASCII before the @, or no domain, which this channel cannot send", permanent: true);
        }
        string ascii = local + "@" + AsciiDomain(address[(at + 1)..]);
        // A line break in a name would let it add headers of its own (header injection).
        return new MailboxAddress(Clean(name)?.Trim() is { Length: > 0 } display ? display : null, ascii);
    }

    private static string? Clean(string? value) => value is null
        ? null
        : new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    private static string AsciiDomain(string domain) =>
        domain.All(char.IsAscii) ? domain : new IdnMapping().GetAscii(domain);
}
