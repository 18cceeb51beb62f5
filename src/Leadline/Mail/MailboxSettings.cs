using System.Net;
using MailKit.Security;

namespace Leadline.Mail;

/// <summary>
/// Where a tenant's lead mail arrives: an IMAP server, the login, how the connection is protected (<c>implicit</c>,
/// <c>starttls</c> or <c>none</c>, the last for loopback only) and the folder to read. The instance's comes from the
/// IMAP_* variables and serves the default tenant; a tenant's own is stored encrypted (<see cref="Mailboxes"/>).
/// </summary>
public sealed record MailboxSettings(string Host, int Port, string Username, string Password, string Tls, string Folder)
{
    public static readonly string[] TlsModes = ["implicit", "starttls", "none"];

    /// <summary>How MailKit protects the connection. STARTTLS is required, not opportunistic: a server that does not
    /// offer it is refused rather than sent the password in plain text.</summary>
    public SecureSocketOptions Security => Tls switch
    {
        "implicit" => SecureSocketOptions.SslOnConnect,
        "none" => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>What identifies the mailbox itself: a change here means other mail, so remembered UIDs are void.</summary>
    public string Identity => $"{Host.ToLowerInvariant()}:{Port}/{Username}/{Folder}";

    /// <summary>The problems of each field (host, port, username, password, tls, folder); empty when all are usable.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Host.Length is 0 or > 253 || Host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@')
            || Uri.CheckHostName(Host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            errors["host"] = [$"'{Host}' is not a host name or IP address, such as \"imap.gmail.com\"."];
        }
        if (Port is < 1 or > 65535)
        {
            errors["port"] = ["Give a port from 1 to 65535: 993 for implicit TLS, 143 for STARTTLS."];
        }
        if (Username.Length is 0 or > 320 || Username.Any(char.IsControl))
        {
            errors["username"] = ["Give the mailbox's login (often its address), at most 320 characters."];
        }
        if (Password.Length is 0 or > 1024 || Password.Any(c => c is '\0' or '\r' or '\n'))
        {
            // The password itself is never repeated in an error: error bodies end up in logs and support tickets.
            errors["password"] = ["Give the mailbox's password (for Gmail, an app password), without line breaks."];
        }
        if (!TlsModes.Contains(Tls))
        {
            errors["tls"] = [$"'{Tls}' is not one of {string.Join(", ", TlsModes)}."];
        }
        else if (Tls == "none" && !errors.ContainsKey("host") && !IsLoopback(Host))
        {
            errors["tls"] = ["\"none\" sends the password in plain text, so it is allowed only towards a loopback address; use \"implicit\" (port 993) or \"starttls\" (port 143)."];
        }
        if (Folder.Length is 0 or > 200 || Folder.Any(char.IsControl))
        {
            errors["folder"] = ["Give the folder to read, such as \"INBOX\", at most 200 characters."];
        }
        return errors;
    }

    private static bool IsLoopback(string host) => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));

    // A record prints every property; the password must not reach a log through a message that carries the settings.
    public override string ToString() => $"MailboxSettings {{ Host = {Host}, Port = {Port}, Username = {Username}, Tls = {Tls}, Folder = {Folder} }}";
}
