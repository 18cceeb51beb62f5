using System.Globalization;
using System.Text;

namespace Leadline.Mail.Imap;

/// <summary>
/// One command to send, built from raw text and strings. A string goes as a quoted string when it can (7-bit, no
/// CR or LF) and as a literal otherwise; a literal is synchronising (<c>{n}</c>, then wait for the server's
/// <c>+</c>) unless the server offers LITERAL+ (or LITERAL- and the literal is at most 4096 bytes).
/// The command is split into segments: after each but the last, the client waits for a continuation request.
/// </summary>
internal sealed class ImapCommand(string name, bool literalPlus, bool literalMinus)
{
    private readonly List<byte[]> _segments = [];
    private readonly MemoryStream _current = new();

    /// <summary>The command's name for errors and logs (<c>LOGIN</c>, <c>UID FETCH</c>); never its arguments.</summary>
    public string Name { get; } = name;

    /// <summary>Appends text as it is; it must be ASCII without CR or LF, which would end the command early.</summary>
    public ImapCommand Raw(string text)
    {
        if (text.Any(c => c is '\r' or '\n' or '\0' or > '\x7f'))
        {
            throw new ArgumentException("IMAP command text must be ASCII without line breaks", nameof(text));
        }
        _current.Write(Encoding.ASCII.GetBytes(text));
        return this;
    }

    /// <summary>Appends a space and then <paramref name="value"/> as an IMAP string (astring), quoted or literal.</summary>
    public ImapCommand String(string value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("an IMAP string cannot contain a NUL character", nameof(value));
        }
        _current.WriteByte((byte)' ');
        if (value.All(c => c is >= '\x01' and <= '\x7f' and not '\r' and not '\n'))
        {
            _current.WriteByte((byte)'"');
            _current.Write(Encoding.ASCII.GetBytes(value.Replace("\\", "\\\\").Replace("\"", "\\\"")));
            _current.WriteByte((byte)'"');
            return this;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        string size = bytes.Length.ToString(CultureInfo.InvariantCulture);
        if (literalPlus || (literalMinus && bytes.Length <= 4096))
        {
            _current.Write(Encoding.ASCII.GetBytes("{" + size + "+}\r\n"));
        }
        else
        {
            _current.Write(Encoding.ASCII.GetBytes("{" + size + "}"));
            AwaitContinuation();
        }
        _current.Write(bytes);
        return this;
    }

    /// <summary>Ends the current line; what follows is sent after the server's continuation request.</summary>
    public ImapCommand AwaitContinuation()
    {
        _current.Write("\r\n"u8);
        _segments.Add(_current.ToArray());
        _current.SetLength(0);
        return this;
    }

    /// <summary>The segments to send under <paramref name="tag"/>, each but the last ending where the server must answer '+'.</summary>
    public IReadOnlyList<byte[]> Build(string tag)
    {
        var segments = new List<byte[]>(_segments);
        segments.Add([.. _current.ToArray(), .. "\r\n"u8]);
        segments[0] = [.. Encoding.ASCII.GetBytes(tag + " "), .. segments[0]];
        return segments;
    }

    /// <summary>A UID set in the shortest form: 1:3,7,9:10. UIDs are sorted and repeated ones dropped.</summary>
    public static string UidSet(IEnumerable<uint> uids)
    {
        uint[] sorted = [.. uids.Distinct().Order()];
        if (sorted.Length == 0 || sorted[0] == 0)
        {
            throw new ArgumentException("a UID set needs at least one UID, and UIDs start at 1", nameof(uids));
        }
        var set = new StringBuilder();
        for (int i = 0; i < sorted.Length; i++)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            set.Append(set.Length > 0 ? "," : "").Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                set.Append(':').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            }
            i = j;
        }
        return set.ToString();
    }

    /// <summary>
    /// A mailbox name in IMAP's modified UTF-7 (RFC 3501 section 5.1.3): printable ASCII stays, '&amp;' becomes
    /// "&amp;-", anything else is UTF-16 in base64 with ',' for '/', between '&amp;' and '-'.
    /// </summary>
    public static string MailboxName(string name)
    {
        var encoded = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '&')
            {
                encoded.Append("&-");
            }
            else if (c is >= '\x20' and <= '\x7e')
            {
                encoded.Append(c);
            }
            else
            {
                int start = i;
                while (i + 1 < name.Length && name[i + 1] is < '\x20' or > '\x7e')
                {
                    i++;
                }
                byte[] utf16 = Encoding.BigEndianUnicode.GetBytes(name[start..(i + 1)]);
                encoded.Append('&').Append(Convert.ToBase64String(utf16).TrimEnd('=').Replace('/', ',')).Append('-');
            }
        }
        return encoded.ToString();
    }
}
