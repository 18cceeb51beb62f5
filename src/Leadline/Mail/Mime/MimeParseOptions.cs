namespace Leadline.Mail.Mime;

/// <summary>
/// Limits that keep a hostile or broken message from costing more than a lead is worth. The defaults suit an inbox
/// that receives form notifications and personal e-mail with the usual attachments.
/// </summary>
public sealed record MimeParseOptions
{
    public static MimeParseOptions Default { get; } = new();

    /// <summary>
    /// Bytes beyond this are not read: the message is parsed from what came before (its text is near the start, its
    /// attachments after) and <see cref="MimeMessage.IsTruncated"/> says so. 50 MB by default.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 50 * 1024 * 1024;

    /// <summary>Parts beyond this many are ignored; a message with thousands of empty parts is an attack, not a lead.</summary>
    public int MaxParts { get; init; } = 500;

    /// <summary>Multiparts nested deeper than this are treated as opaque, which also bounds the parser's recursion.</summary>
    public int MaxDepth { get; init; } = 20;

    /// <summary>
    /// When true, each <see cref="MimeAttachment.Content"/> holds the decoded bytes. Off by default: the intake needs
    /// an attachment's name, type and size, and decoding a 20 MB video to learn them would only waste memory.
    /// </summary>
    public bool DecodeAttachments { get; init; }
}
