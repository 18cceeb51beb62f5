namespace Leadline.Mail.Imap;

/// <summary>
/// The server refused LOGIN or AUTHENTICATE: wrong user name or password, an app password required, an account
/// locked. Retrying with the same credentials will not help. The message holds the server's text but never the
/// password.
/// </summary>
public sealed class ImapAuthenticationException(string command, string status, string? responseCode, string serverText, string message)
    : ImapCommandException(command, status, responseCode, serverText, message);
