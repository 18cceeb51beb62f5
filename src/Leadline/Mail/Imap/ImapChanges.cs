namespace Leadline.Mail.Imap;

/// <summary>
/// What the server reported about the selected mailbox since the previous <see cref="ImapClient.NoopAsync"/> or
/// <see cref="ImapClient.IdleAsync"/> (or SELECT), including reports that came in during other commands.
/// </summary>
/// <param name="Exists">The latest message count (EXISTS), or null when none was reported.</param>
/// <param name="Expunged">How many messages were reported expunged.</param>
/// <param name="Recent">The latest RECENT count, or null when none was reported.</param>
public sealed record ImapChanges(uint? Exists, int Expunged, uint? Recent)
{
    public static readonly ImapChanges None = new(null, 0, null);

    /// <summary>Whether anything was reported: worth a new UID SEARCH.</summary>
    public bool Any => Exists is not null || Expunged > 0 || Recent is not null;
}
