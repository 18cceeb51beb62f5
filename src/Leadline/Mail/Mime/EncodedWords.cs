using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Decodes RFC 2047 encoded words ("=?utf-8?B?2YXYsdit2KjYpw==?=", "=?iso-8859-1?Q?caf=E9?=") in header text.
/// </summary>
/// <remarks>
/// Whitespace between two adjacent encoded words is dropped, as RFC 2047 section 6.2 requires, and the bytes of
/// adjacent words in the same charset are decoded together, because mailers split a multi-byte character across
/// words. Encoded words are also decoded where the RFC forbids them but mailers put them anyway (inside quoted
/// strings, glued to other text). A malformed word (unknown encoding, bad base64, no closing "?=") stays as text.
/// </remarks>
public static class EncodedWords
{
    /// <summary>The header text with every well-formed encoded word decoded; null reads as empty.</summary>
    public static string Decode(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains("=?", StringComparison.Ordinal))
        {
            return text ?? "";
        }
        var result = new StringBuilder(text.Length);
        var pending = new List<byte>();
        string? pendingCharset = null;
        int position = 0;
        bool afterWord = false;
        while (position < text.Length)
        {
            int start = text.IndexOf("=?", position, StringComparison.Ordinal);
            if (start < 0 || !TryReadWord(text, start, out string charset, out byte[] bytes, out int end))
            {
                int stop = start < 0 ? text.Length : start + 2;
                Flush();
                result.Append(text, position, stop - position);
                afterWord = false;
                position = stop;
                continue;
            }
            string between = text[position..start];
            bool joins = afterWord && string.IsNullOrWhiteSpace(between);
            if (!joins || !string.Equals(charset, pendingCharset, StringComparison.OrdinalIgnoreCase))
            {
                Flush();
            }
            if (!joins)
            {
                result.Append(between);
            }
            pendingCharset = charset;
            pending.AddRange(bytes);
            afterWord = true;
            position = end;
        }
        Flush();
        return result.ToString();

        void Flush()
        {
            if (pending.Count > 0)
            {
                result.Append(Charsets.Decode(pending.ToArray(), pendingCharset));
                pending.Clear();
            }
            pendingCharset = null;
        }
    }

    /// <summary>Reads "=?charset?B|Q?text?=" at <paramref name="start"/>; false when it is not well formed.</summary>
    private static bool TryReadWord(string text, int start, out string charset, out byte[] bytes, out int end)
    {
        charset = "";
        bytes = [];
        end = start;
        int charsetEnd = text.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd == start + 2 || charsetEnd + 2 >= text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }
        charset = text[(start + 2)..charsetEnd];
        char encoding = char.ToUpperInvariant(text[charsetEnd + 1]);
        int textStart = charsetEnd + 3;
        int textEnd = text.IndexOf('?', textStart);
        if (textEnd < 0 || textEnd + 1 >= text.Length || text[textEnd + 1] != '=')
        {
            return false;
        }
        ReadOnlySpan<char> encoded = text.AsSpan(textStart, textEnd - textStart);
        if (charset.AsSpan().ContainsAny(" \t\r\n\"") || encoded.ContainsAny(" \t\r\n"))
        {
            return false;
        }
        byte[]? decoded = encoding switch
        {
            'B' => DecodeB(encoded),
            'Q' => DecodeQ(encoded),
            _ => null,
        };
        if (decoded is null)
        {
            return false;
        }
        bytes = decoded;
        end = textEnd + 2;
        return true;
    }

    private static byte[]? DecodeB(ReadOnlySpan<char> encoded)
    {
        Span<byte> ascii = encoded.Length <= 512 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return null;
            }
            ascii[i] = (byte)c;
        }
        byte[] output = new byte[encoded.Length / 4 * 3 + 3];
        return output[..TransferDecoding.DecodeBase64(ascii, output)];
    }

    private static byte[]? DecodeQ(ReadOnlySpan<char> encoded)
    {
        var output = new byte[encoded.Length];
        int length = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '_')
            {
                output[length++] = (byte)' ';
            }
            else if (c == '=' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                output[length++] = Convert.ToByte(new string(encoded.Slice(i + 1, 2)), 16);
                i += 2;
            }
            else if (c > 0xFF)
            {
                return null;
            }
            else
            {
                output[length++] = (byte)c; // lenient: a stray "=" or an unencoded special stays as it is
            }
        }
        return output[..length];
    }
}
