using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// One mailbox from an address header: <see cref="Name"/> is the decoded display name ("" when there is none) and
/// <see cref="Address"/> the addr-spec as written ("jordan@example.com"), without angle brackets.
/// </summary>
public sealed record MailboxAddress(string Name, string Address)
{
    /// <summary>
    /// Parses an RFC 5322 address list (From, To, Cc, Reply-To). Groups ("Team: a@x, b@x;") are flattened to their
    /// members, quoted names and comments ("a@x (Jordan)") give the display name, encoded words are decoded, and
    /// the forms people and broken mailers write ("Jordan Lee jordan@x", ";" between addresses) are read too.
    /// Entries without an address are skipped; null or empty gives an empty list.
    /// </summary>
    public static IReadOnlyList<MailboxAddress> ParseList(string? value)
    {
        var result = new List<MailboxAddress>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return result;
        }
        var words = new List<string>();
        var atom = new StringBuilder();
        string? angle = null;
        string? comment = null;
        bool inGroup = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"':
                    string quoted = ReadUntil(value, ref i, '"');
                    if (i + 1 < value.Length && value[i + 1] == '@')
                    {
                        atom.Append('"').Append(quoted).Append('"'); // a quoted local part: "jordan lee"@example.com
                    }
                    else
                    {
                        EndAtom();
                        words.Add(quoted);
                    }
                    break;
                case '(':
                    EndAtom();
                    string text = ReadComment(value, ref i).Trim();
                    comment ??= text.Length > 0 ? text : null;
                    break;
                case '<':
                    EndAtom();
                    angle = CleanAngle(ReadUntil(value, ref i, '>'));
                    break;
                case ',':
                    Flush();
                    break;
                case ';':
                    Flush();
                    inGroup = false;
                    break;
                case ':' when angle is null && !inGroup && !atom.ToString().Contains('@') && !words.Any(w => w.Contains('@')):
                    // "Sales team: a@x, b@x;" - the group's name is not a mailbox.
                    atom.Clear();
                    words.Clear();
                    comment = null;
                    inGroup = true;
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    EndAtom();
                    break;
                default:
                    atom.Append(c);
                    break;
            }
        }
        Flush();
        return result;

        void EndAtom()
        {
            if (atom.Length > 0)
            {
                words.Add(atom.ToString());
                atom.Clear();
            }
        }

        void Flush()
        {
            EndAtom();
            string? address = angle;
            if (address is null)
            {
                int at = words.FindLastIndex(w => w.Contains('@'));
                if (at >= 0)
                {
                    address = CleanAngle(words[at]);
                    words.RemoveAt(at);
                }
            }
            if (!string.IsNullOrEmpty(address))
            {
                string name = EncodedWords.Decode(string.Join(' ', words)).Trim().Trim('\'', '"').Trim();
                if (name.Length == 0 && comment is not null)
                {
                    name = EncodedWords.Decode(comment);
                }
                result.Add(new MailboxAddress(name, address));
            }
            words.Clear();
            angle = null;
            comment = null;
        }
    }

    /// <summary>The first mailbox of a header such as From or Sender; null when there is none.</summary>
    public static MailboxAddress? Parse(string? value) => ParseList(value) is [var first, ..] ? first : null;

    public override string ToString() => Name.Length == 0 ? Address : $"\"{Name.Replace("\"", "\\\"")}\" <{Address}>";

    /// <summary>Drops whitespace, an obsolete source route ("@relay:a@x") and a "mailto:" prefix.</summary>
    private static string CleanAngle(string inside)
    {
        string address = string.Concat(inside.Where(c => !char.IsWhiteSpace(c)));
        if (address.StartsWith('@') && address.IndexOf(':') is int colon and > 0)
        {
            address = address[(colon + 1)..];
        }
        if (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            address = address[7..];
        }
        return address.Trim('<', '>');
    }

    /// <summary>Reads from after the opening character at <paramref name="i"/> to <paramref name="close"/>, honouring backslash escapes.</summary>
    private static string ReadUntil(string value, ref int i, char close)
    {
        var sb = new StringBuilder();
        for (i++; i < value.Length && value[i] != close; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }
            sb.Append(value[i]);
        }
        return sb.ToString();
    }

    private static string ReadComment(string value, ref int i)
    {
        var sb = new StringBuilder();
        int depth = 1;
        for (i++; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                sb.Append(value[++i]);
                continue;
            }
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
