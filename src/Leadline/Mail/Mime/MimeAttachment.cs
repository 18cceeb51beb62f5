namespace Leadline.Mail.Mime;

/// <summary>
/// A part that is not the message's text: a file, an inline image, a forwarded message (message/rfc822, kept whole).
/// </summary>
/// <param name="FileName">The file name without any directory a mailer left in it; null when the part has none.</param>
/// <param name="MimeType">"type/subtype", lower-case, such as "application/pdf".</param>
/// <param name="Size">The decoded size in bytes, counted without keeping the bytes.</param>
/// <param name="IsInline">True for parts shown inside the message (images referenced by the HTML).</param>
/// <param name="ContentId">The Content-ID without angle brackets, which the HTML refers to as "cid:..."; null when absent.</param>
/// <param name="Content">The decoded bytes, only when <see cref="MimeParseOptions.DecodeAttachments"/> asked for them.</param>
public sealed record MimeAttachment(string? FileName, string MimeType, long Size, bool IsInline, string? ContentId, byte[]? Content);
