using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Reads a header block: fields up to the first empty line, folded lines unfolded, CRLF or bare LF. Values come back
/// as Latin-1 strings (one char per byte, nothing lost) so that 8-bit bytes can be decoded once the part's charset
/// is known (<see cref="DecodeEightBit"/>).
/// </summary>
internal static class HeaderReader
{
    /// <summary>Reads the fields and sets <paramref name="bodyOffset"/> to where the body starts.</summary>
    /// <remarks>
    /// A line that is not a field ends the block, as if the blank line were missing, unless it is a single word
    /// followed by more fields: then it is a broken field and is skipped. An mbox "From " line at the top is skipped.
    /// </remarks>
    internal static List<MimeHeader> Read(ReadOnlySpan<byte> data, bool skipMboxLine, out int bodyOffset)
    {
        var headers = new List<MimeHeader>();
        string? name = null;
        var value = new StringBuilder();
        int position = 0;
        while (position < data.Length)
        {
            ReadOnlySpan<byte> line = LineAt(data, position, out int next);
            if (line.IsEmpty)
            {
                Add();
                bodyOffset = next;
                return headers;
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (name is not null)
                {
                    // Unfolding removes only the line break; a folding tab reads as the space it stands for.
                    value.Append(' ').Append(Encoding.Latin1.GetString(line[1..]));
                }
                position = next;
                continue;
            }
            if (position == 0 && skipMboxLine && line.StartsWith("From "u8))
            {
                position = next;
                continue;
            }
            int colon = line.IndexOf((byte)':');
            if (colon > 0 && IsFieldName(line[..colon]))
            {
                Add();
                name = Encoding.Latin1.GetString(line[..colon]).TrimEnd();
                value.Append(Encoding.Latin1.GetString(line[(colon + 1)..]));
            }
            else if (line.IndexOfAny((byte)' ', (byte)'\t') < 0 && NextIsField(data, next))
            {
                Add(); // a broken field ("X-Junk" with no colon): skip it and keep reading fields
            }
            else
            {
                Add();
                bodyOffset = position;
                return headers;
            }
            position = next;
        }
        Add();
        bodyOffset = data.Length;
        return headers;

        void Add()
        {
            if (name is not null)
            {
                headers.Add(new MimeHeader(name, value.ToString().Trim()));
            }
            name = null;
            value.Clear();
        }
    }

    /// <summary>
    /// Turns the Latin-1 stand-ins of 8-bit header bytes into text: UTF-8 when they are valid UTF-8 (RFC 6532),
    /// else the part's charset, else Windows-1252. Mailers that send raw 8-bit headers use the body's charset.
    /// </summary>
    internal static void DecodeEightBit(List<MimeHeader> headers, string? charset)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            string value = headers[i].Value;
            if (!value.AsSpan().ContainsAnyExceptInRange('\0', '\x7f'))
            {
                continue;
            }
            byte[] bytes = Encoding.Latin1.GetBytes(value);
            string text = System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Charsets.Decode(bytes, charset);
            headers[i] = headers[i] with { Value = text };
        }
    }

    /// <summary>The line at <paramref name="position"/> without its CRLF or LF; <paramref name="next"/> is the next line's start.</summary>
    internal static ReadOnlySpan<byte> LineAt(ReadOnlySpan<byte> data, int position, out int next)
    {
        int newline = data[position..].IndexOf((byte)'\n');
        int end = newline < 0 ? data.Length : position + newline;
        next = newline < 0 ? data.Length : end + 1;
        if (end > position && data[end - 1] == (byte)'\r')
        {
            end--;
        }
        return data[position..end];
    }

    /// <summary>Printable ASCII without spaces; whitespace before the colon is allowed (RFC 5322 obsolete syntax).</summary>
    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        name = name.TrimEnd(" \t"u8);
        if (name.IsEmpty)
        {
            return false;
        }
        foreach (byte b in name)
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }
        return true;
    }

    private static bool NextIsField(ReadOnlySpan<byte> data, int position)
    {
        if (position >= data.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> line = LineAt(data, position, out _);
        int colon = line.IndexOf((byte)':');
        return colon > 0 && IsFieldName(line[..colon]);
    }
}
