namespace Leadline.Mail.Imap;

/// <summary>One message as UID FETCH returned it.</summary>
/// <param name="Uid">The message's UID in the selected mailbox.</param>
/// <param name="Flags">Its flags (<c>\Seen</c>, keywords...).</param>
/// <param name="Size">Its size in bytes (RFC822.SIZE).</param>
/// <param name="Header">The header block, exactly as stored, when <see cref="ImapFetchBody.Header"/> was asked for.</param>
/// <param name="Raw">
/// The whole message, exactly as stored (RFC 5322 bytes, CRLF line ends, 8-bit content untouched), when
/// <see cref="ImapFetchBody.Full"/> was asked for. It is not decoded here: MIME parsing is the caller's.
/// </param>
public sealed record ImapMessage(uint Uid, IReadOnlyList<string> Flags, long Size, byte[]? Header, byte[]? Raw);
