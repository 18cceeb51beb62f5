namespace Leadline.Mail.Imap;

/// <summary>
/// A mailbox as SELECT or EXAMINE found it. A message is identified for good by (<see cref="UidValidity"/>, UID):
/// when UIDVALIDITY changes, every UID remembered for the mailbox is void.
/// </summary>
/// <param name="Name">The mailbox name as the caller gave it.</param>
/// <param name="UidValidity">The UIDVALIDITY value.</param>
/// <param name="UidNext">The UID the next message will get at the earliest, or null when the server did not say.</param>
/// <param name="Exists">How many messages the mailbox holds.</param>
/// <param name="Recent">How many messages arrived since the mailbox was last opened.</param>
/// <param name="Flags">The flags defined in the mailbox (FLAGS).</param>
/// <param name="PermanentFlags">
/// The flags that can be stored for good (PERMANENTFLAGS), with <c>\*</c> when any new keyword can be; null when
/// the server did not say, which means all of them can.
/// </param>
/// <param name="ReadOnly">True after EXAMINE, or when the server opened the mailbox read-only.</param>
public sealed record ImapMailbox(
    string Name,
    uint UidValidity,
    uint? UidNext,
    uint Exists,
    uint Recent,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string>? PermanentFlags,
    bool ReadOnly)
{
    /// <summary>
    /// Whether <paramref name="flag"/> (<c>\Seen</c>, or a keyword such as <c>$LeadlineProcessed</c>) is kept after
    /// the session ends. Servers that refuse keywords (PERMANENTFLAGS without <c>\*</c>) would keep a keyword for
    /// the session only, or refuse it: then the caller must remember processed UIDs itself.
    /// </summary>
    public bool CanStoreFlag(string flag)
    {
        if (ReadOnly)
        {
            return false;
        }
        if (PermanentFlags is null || PermanentFlags.Contains(flag, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        return !flag.StartsWith('\\') && PermanentFlags.Contains("\\*");
    }
}
