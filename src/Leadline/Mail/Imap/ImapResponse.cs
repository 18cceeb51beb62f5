namespace Leadline.Mail.Imap;

internal enum ImapResponseKind { Untagged, Tagged, Continuation }

/// <summary>
/// One complete server response (RFC 3501 section 7), literals included.
/// <list type="bullet">
/// <item>Status responses (<c>L1 OK [READ-WRITE] done</c>, <c>* BYE going away</c>): <see cref="Name"/> is OK, NO,
/// BAD, BYE or PREAUTH, with the optional response <see cref="Code"/> and its values, and the human-readable
/// <see cref="Text"/>.</item>
/// <item>Data (<c>* 3 EXISTS</c>, <c>* 2 FETCH (...)</c>, <c>* SEARCH 1 2</c>): <see cref="Name"/> is the word,
/// <see cref="Number"/> the number before it if any, <see cref="Values"/> what follows.</item>
/// <item>Continuation requests (<c>+ idling</c>): <see cref="Text"/> is what follows the plus sign.</item>
/// </list>
/// </summary>
internal sealed record ImapResponse(
    ImapResponseKind Kind,
    string? Tag,
    string Name,
    long? Number,
    string? Code,
    IReadOnlyList<ImapValue> CodeValues,
    string Text,
    IReadOnlyList<ImapValue> Values)
{
    public bool IsStatus => Name is "OK" or "NO" or "BAD" or "BYE" or "PREAUTH";

    public bool IsUntagged(string name) => Kind == ImapResponseKind.Untagged && Name == name;
}
