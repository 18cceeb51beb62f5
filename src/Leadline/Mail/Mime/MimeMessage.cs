namespace Leadline.Mail.Mime;

/// <summary>
/// A parsed RFC 5322 / MIME e-mail: the headers an intake needs, decoded, and the text a person wrote.
/// </summary>
/// <remarks>
/// Parsing never throws on content: mail arrives from every mailer ever written, and a broken message from a lead
/// is still a lead. Truncated multiparts, missing boundaries, bad base64, unknown charsets, bare LF line endings and
/// headers without a colon all parse to the best reading available. Only a null argument throws.
/// </remarks>
public sealed class MimeMessage
{
    private readonly MimeNode _root;
    private string? _bestText;

    private MimeMessage(MimeNode root, bool truncated)
    {
        _root = root;
        IsTruncated = truncated;
        MimeHeaders headers = root.Headers;
        From = MailboxAddress.ParseList(headers.Get("From"));
        To = MailboxAddress.ParseList(headers.Get("To"));
        Cc = MailboxAddress.ParseList(headers.Get("Cc"));
        ReplyTo = MailboxAddress.ParseList(headers.Get("Reply-To"));
        Sender = MailboxAddress.Parse(headers.Get("Sender"));
        Subject = EncodedWords.Decode(headers.Get("Subject")).Trim();
        Date = MailDate.Parse(headers.Get("Date"));
        MessageId = MessageIds.Parse(headers.Get("Message-ID")) is [var id, ..] ? id : null;
        InReplyTo = MessageIds.Parse(headers.Get("In-Reply-To"));
        References = MessageIds.Parse(headers.Get("References"));
        TextBody = FindText(root, "plain");
        HtmlBody = FindText(root, "html");
        var attachments = new List<MimeAttachment>();
        CollectAttachments(root, attachments);
        Attachments = attachments;
    }

    /// <summary>Parses a message from its raw bytes (CRLF or LF line endings).</summary>
    public static MimeMessage Parse(ReadOnlySpan<byte> data, MimeParseOptions? options = null)
    {
        options ??= MimeParseOptions.Default;
        bool truncated = data.Length > options.MaxMessageBytes;
        if (truncated)
        {
            data = data[..options.MaxMessageBytes];
        }
        var reader = new MimeReader(data, options);
        return new MimeMessage(reader.ReadMessage(), truncated);
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte}, MimeParseOptions?)"/>
    public static MimeMessage Parse(byte[] data, MimeParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Parse(data.AsSpan(), options);
    }

    /// <summary>Reads the stream to its end, or to <see cref="MimeParseOptions.MaxMessageBytes"/>, and parses it.</summary>
    public static MimeMessage Parse(Stream stream, MimeParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= MimeParseOptions.Default;
        long limit = (long)options.MaxMessageBytes + 1; // one byte more tells a truncated message from a full one
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    /// <summary>All header fields of the message (not of its parts), unfolded.</summary>
    public MimeHeaders Headers => _root.Headers;

    public IReadOnlyList<MailboxAddress> From { get; }

    public IReadOnlyList<MailboxAddress> To { get; }

    public IReadOnlyList<MailboxAddress> Cc { get; }

    public IReadOnlyList<MailboxAddress> ReplyTo { get; }

    /// <summary>The Sender header, set when someone other than the author sent the message; null when absent.</summary>
    public MailboxAddress? Sender { get; }

    /// <summary>Where an answer goes: the first Reply-To, else the first From; null when the message has neither.</summary>
    public MailboxAddress? ReplyAddress => ReplyTo.Count > 0 ? ReplyTo[0] : From.Count > 0 ? From[0] : null;

    /// <summary>The decoded subject; "" when absent.</summary>
    public string Subject { get; }

    /// <summary>The Date header; null when absent or unreadable.</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>The Message-ID without angle brackets; null when absent.</summary>
    public string? MessageId { get; }

    /// <summary>The ids this message answers, without angle brackets.</summary>
    public IReadOnlyList<string> InReplyTo { get; }

    /// <summary>The ids of the thread so far, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>
    /// The text/plain body ("\n" line breaks); in multipart/alternative the plain part is taken, in other multiparts
    /// the first plain part that is not an attachment. Null when the message has no plain text.
    /// </summary>
    public string? TextBody { get; }

    /// <summary>The text/html body, chosen as <see cref="TextBody"/> is; null when the message has no HTML.</summary>
    public string? HtmlBody { get; }

    /// <summary>
    /// The readable text of the message: <see cref="TextBody"/> when it says something, else the text of
    /// <see cref="HtmlBody"/> (<see cref="HtmlText.ToText"/>), else "". Quoted history is still in it; see
    /// <see cref="EmailText.NewContent"/>.
    /// </summary>
    public string BestText => _bestText ??= !string.IsNullOrWhiteSpace(TextBody)
        ? TextBody.Trim('\n')
        : HtmlBody is not null ? HtmlText.ToText(HtmlBody) : "";

    /// <summary>Every part that is not body text, in message order: files, inline images, attached messages.</summary>
    public IReadOnlyList<MimeAttachment> Attachments { get; }

    /// <summary>True when the message was longer than <see cref="MimeParseOptions.MaxMessageBytes"/> and was cut.</summary>
    public bool IsTruncated { get; }

    private static string? FindText(MimeNode node, string subtype)
    {
        if (node.Text is not null)
        {
            return node.Type.MediaSubtype == subtype ? node.Text : null;
        }
        foreach (MimeNode child in node.Children)
        {
            if (FindText(child, subtype) is { } text)
            {
                return text;
            }
        }
        return null;
    }

    private static void CollectAttachments(MimeNode node, List<MimeAttachment> attachments)
    {
        if (node.Attachment is not null)
        {
            attachments.Add(node.Attachment);
        }
        foreach (MimeNode child in node.Children)
        {
            CollectAttachments(child, attachments);
        }
    }
}
