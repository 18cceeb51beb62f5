using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.Text;

namespace Leadline.Mail;

/// <summary>One part of a mail that is not its text: a file, an inline image, a forwarded message.</summary>
/// <param name="FileName">The file name MimeKit found (Content-Disposition or Content-Type name); null when none.</param>
/// <param name="MimeType">"type/subtype", lower case, such as "application/pdf".</param>
/// <param name="Size">The decoded size in bytes, measured without keeping the bytes.</param>
public sealed record MailAttachment(string? FileName, string MimeType, long Size);

/// <summary>
/// What the intake reads of a MimeKit <see cref="MimeMessage"/>: the text a person wrote, the reply address and the
/// attachments. Parsing, charsets, transfer encodings and encoded words are MimeKit's; the choices here are ours.
/// </summary>
public static class MailContent
{
    static MailContent()
    {
        // Windows-1256, ISO-8859-6 and the other legacy charsets old mailers use live in the code-pages provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>
    /// Reads a message from its raw bytes. A mail from a lead is a lead even when its mailer was careless, and MimeKit
    /// reads broken mail leniently; only bytes it cannot read as a message at all give null, which the intake reports
    /// as unreadable rather than failing on.
    /// </summary>
    public static MimeMessage? Load(Stream stream, CancellationToken ct = default)
    {
        try
        {
            return MimeMessage.Load(stream, ct);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="Load(Stream, CancellationToken)"/>
    public static MimeMessage? Load(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return Load(stream);
    }

    /// <summary>Where an answer goes: the first Reply-To, else the first From; null when the mail has neither.</summary>
    public static MailboxAddress? ReplyAddress(MimeMessage mail) =>
        mail.ReplyTo.Mailboxes.FirstOrDefault() ?? mail.From.Mailboxes.FirstOrDefault();

    /// <summary>
    /// The text/plain body with "\n" line breaks and format=flowed lines rejoined (RFC 3676): in multipart/alternative
    /// the plain part, elsewhere the first plain part that is not an attachment. Null when there is none.
    /// </summary>
    public static string? PlainText(MimeMessage mail)
    {
        if (Body(mail, html: false) is not { } part)
        {
            return null;
        }
        string text = part.Text.Replace("\r\n", "\n").Replace('\r', '\n').TrimStart('\uFEFF');
        if (string.Equals(part.ContentType.Parameters["format"], "flowed", StringComparison.OrdinalIgnoreCase))
        {
            bool delSp = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase);
            text = new FlowedToText { DeleteSpace = delSp }.Convert(text).Replace("\r\n", "\n").TrimEnd('\n');
        }
        return text;
    }

    /// <summary>The text/html body, chosen as <see cref="PlainText"/> is; null when there is none.</summary>
    public static string? Html(MimeMessage mail) => Body(mail, html: true)?.Text;

    /// <summary>
    /// The readable text: the plain body when it says something, else the text of the HTML body
    /// (<see cref="HtmlText.ToText"/>), else "". Quoted history is still in it (<see cref="EmailText.NewContent"/>).
    /// </summary>
    public static string BestText(MimeMessage mail) => PlainText(mail) is { } plain && !string.IsNullOrWhiteSpace(plain)
        ? plain.Trim('\n')
        : HtmlText.ToText(Html(mail));

    /// <summary>Every part that is not body text, in message order: files, inline images, attached messages.</summary>
    public static IReadOnlyList<MailAttachment> Attachments(MimeMessage mail)
    {
        var attachments = new List<MailAttachment>();
        foreach (MimeEntity entity in mail.BodyParts)
        {
            if (entity is TextPart { IsAttachment: false } text && (text.IsPlain || text.IsHtml))
            {
                continue;
            }
            string? name = entity is MimePart part ? part.FileName : entity.ContentDisposition?.FileName;
            attachments.Add(new MailAttachment(name, entity.ContentType.MimeType.ToLowerInvariant(), Measure(entity)));
        }
        return attachments;
    }

    private static TextPart? Body(MimeMessage mail, bool html) => mail.BodyParts.OfType<TextPart>()
        .FirstOrDefault(p => !p.IsAttachment && (html ? p.IsHtml : p.IsPlain));

    private static long Measure(MimeEntity entity)
    {
        using var measure = new MeasuringStream();
        if (entity is MimePart { Content: { } content })
        {
            content.DecodeTo(measure);
        }
        else if (entity is MessagePart { Message: { } message })
        {
            message.WriteTo(measure);
        }
        return measure.Length;
    }
}
