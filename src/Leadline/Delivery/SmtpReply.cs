namespace Leadline.Delivery;

/// <summary>An SMTP reply: its code and the text of each line.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines);
