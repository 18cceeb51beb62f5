namespace Leadline.Mail.Imap;

/// <summary>
/// The server answered a command with NO (it understood and refused: no such mailbox, over quota) or BAD (it did
/// not understand). The connection stays usable. The message holds the server's words, never the command's
/// arguments, so it cannot carry a password.
/// </summary>
public class ImapCommandException(string command, string status, string? responseCode, string serverText, string message)
    : ImapException(message)
{
    /// <summary>The command's name, such as <c>SELECT</c> or <c>UID FETCH</c>.</summary>
    public string Command { get; } = command;

    /// <summary><c>NO</c> or <c>BAD</c>.</summary>
    public string Status { get; } = status;

    /// <summary>The response code, such as <c>AUTHENTICATIONFAILED</c>, <c>NONEXISTENT</c> or <c>OVERQUOTA</c>, or null.</summary>
    public string? ResponseCode { get; } = responseCode;

    /// <summary>The server's human-readable text.</summary>
    public string ServerText { get; } = serverText;
}
