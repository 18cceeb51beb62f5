namespace Leadline.Mail.Mime;

/// <summary>One entity of the parsed tree: a multipart with children, a text part with its text, or an attachment.</summary>
internal sealed class MimeNode(MimeHeaders headers, ContentType type, ContentDisposition? disposition)
{
    public MimeHeaders Headers { get; } = headers;

    public ContentType Type { get; set; } = type;

    public ContentDisposition? Disposition { get; } = disposition;

    public List<MimeNode> Children { get; } = [];

    /// <summary>The decoded text of a text/plain or text/html body part; null for anything else.</summary>
    public string? Text { get; set; }

    public MimeAttachment? Attachment { get; set; }
}
