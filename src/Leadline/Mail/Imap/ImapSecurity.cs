namespace Leadline.Mail.Imap;

/// <summary>How the connection is protected (<c>IMAP_TLS</c>).</summary>
public enum ImapSecurity
{
    /// <summary>TLS from the first byte, usually on port 993.</summary>
    Implicit,

    /// <summary>Plain text until STARTTLS, usually on port 143. A server that does not offer STARTTLS is refused.</summary>
    StartTls,

    /// <summary>No encryption at all: allowed only towards a loopback address, for tests.</summary>
    None,
}
