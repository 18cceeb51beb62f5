namespace Leadline.Mail.Imap;

/// <summary>
/// The server broke the protocol (a response that does not parse, a literal over the size limit, a continuation
/// nobody asked for), or cannot give what the connection requires (no STARTTLS when it was asked for). The
/// connection is not used again after it.
/// </summary>
public sealed class ImapProtocolException(string message, Exception? inner = null) : ImapException(message, inner);
