namespace Leadline.Mail.Mime;

/// <summary>One header field: its name as written and its value unfolded and trimmed, encoded words not decoded.</summary>
public sealed record MimeHeader(string Name, string Value);
