namespace Leadline.Mail.Imap;

/// <summary>
/// What <see cref="ImapClient.FetchAsync"/> returns besides UID, flags and size. Both use BODY.PEEK, so fetching
/// never marks a message \Seen: the caller decides when a message counts as read.
/// </summary>
public enum ImapFetchBody
{
    /// <summary>UID, flags and size only.</summary>
    None,

    /// <summary>Also the header block (BODY.PEEK[HEADER]).</summary>
    Header,

    /// <summary>Also the whole message (BODY.PEEK[]).</summary>
    Full,
}
