using System.Globalization;
using System.Text;

namespace Leadline.Mail.Imap;

internal enum ImapValueKind { Atom, String, Nil, List }

/// <summary>
/// One value in a server response: an atom (numbers, flags and names like <c>BODY[HEADER]</c> are atoms), a string
/// (quoted or literal, kept as the bytes the server sent), NIL, or a parenthesised list.
/// </summary>
internal sealed class ImapValue
{
    public static readonly ImapValue Nil = new(ImapValueKind.Nil, null, null, []);

    private readonly string? _atom;
    private readonly byte[]? _bytes;

    private ImapValue(ImapValueKind kind, string? atom, byte[]? bytes, IReadOnlyList<ImapValue> items)
    {
        Kind = kind;
        _atom = atom;
        _bytes = bytes;
        Items = items;
    }

    public ImapValueKind Kind { get; }

    /// <summary>The items of a list; empty for other kinds.</summary>
    public IReadOnlyList<ImapValue> Items { get; }

    /// <summary>The bytes of a string, or null for NIL, atoms and lists.</summary>
    public byte[]? Bytes => _bytes;

    /// <summary>An atom as written, a string decoded as UTF-8, "" for NIL and lists.</summary>
    public string Text => _atom ?? (_bytes is null ? "" : Encoding.UTF8.GetString(_bytes));

    public static ImapValue Atom(string text) => new(ImapValueKind.Atom, text, null, []);

    public static ImapValue String(byte[] bytes) => new(ImapValueKind.String, null, bytes, []);

    public static ImapValue List(IReadOnlyList<ImapValue> items) => new(ImapValueKind.List, null, null, items);

    public bool IsAtom(string text) => Kind == ImapValueKind.Atom && string.Equals(_atom, text, StringComparison.OrdinalIgnoreCase);

    /// <summary>An atom made of digits, as a number (UIDs, counts and sizes all fit a long).</summary>
    public bool TryGetNumber(out long number)
    {
        number = 0;
        return Kind == ImapValueKind.Atom && _atom!.Length is > 0 and <= 20 && _atom.All(char.IsAsciiDigit)
            && long.TryParse(_atom, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public override string ToString() => Kind switch
    {
        ImapValueKind.Atom => _atom!,
        ImapValueKind.Nil => "NIL",
        ImapValueKind.String => "\"" + Text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        _ => "(" + string.Join(' ', Items) + ")",
    };
}
