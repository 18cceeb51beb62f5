namespace Leadline.Mail.Imap;

/// <summary>
/// The IMAP server said something other than yes: a refusal (<see cref="ImapCommandException"/>, including a failed
/// login, <see cref="ImapAuthenticationException"/>) or something this client cannot follow
/// (<see cref="ImapProtocolException"/>). Broken connections are not IMAP exceptions: they surface as
/// <see cref="IOException"/>, <see cref="System.Net.Sockets.SocketException"/>, <see cref="TimeoutException"/>, or
/// <see cref="System.Security.Authentication.AuthenticationException"/> when the TLS handshake fails.
/// </summary>
public abstract class ImapException(string message, Exception? inner = null) : Exception(message, inner);
