using System.Globalization;
using System.Text;

namespace Leadline.Delivery;

/// <summary>
/// Writes an <see cref="OutboundMessage"/> as an RFC 5322 message for SMTP: plain text in UTF-8, every header in
/// ASCII (RFC 2047 encoded-words for names and subjects in other scripts), so it passes any relay, 8BITMIME or not.
/// </summary>
public static class EmailComposer
{
    // RFC 5322 asks for lines of at most 78 characters; encoded-words may be at most 75 (RFC 2047 section 2).
    private const int LineLimit = 78;
    private const int EncodedWordBytes = 36;

    /// <summary>
    /// The Message-ID for a message: derived from its idempotency key, so a retry after a lost reply carries the
    /// same id and the receiving side can drop the duplicate.
    /// </summary>
    public static string MessageId(OutboundMessage message)
    {
        int at = message.From.LastIndexOf('@');
        string domain = at >= 0 && at < message.From.Length - 1 ? AsciiDomain(message.From[(at + 1)..]) : "leadline.localhost";
        return $"<{message.IdempotencyKey}@{domain}>";
    }

    public static string Compose(OutboundMessage message, string messageId, DateTimeOffset date)
    {
        var text = new StringBuilder();
        Header(text, "From", Mailbox(message.FromName, message.From));
        Header(text, "To", Mailbox(message.ToName, message.To));
        if (!string.IsNullOrWhiteSpace(message.Subject))
        {
            Header(text, "Subject", Unstructured("Subject", message.Subject));
        }
        Header(text, "Date", date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(text, "Message-ID", messageId);
        if (AngleId(message.InReplyTo) is { } parent)
        {
            Header(text, "In-Reply-To", parent);
            Header(text, "References", parent);
        }
        Header(text, "MIME-Version", "1.0");
        Header(text, "Content-Type", "text/plain; charset=utf-8");

        string body = message.Body.ReplaceLineEndings("\r\n");
        bool mostlyAscii = body.Count(c => c > 127) * 4 < body.Length;
        // Quoted-printable keeps Latin text readable in the raw message; other scripts are a third the size in base64.
        Header(text, "Content-Transfer-Encoding", mostlyAscii ? "quoted-printable" : "base64");
        text.Append("\r\n");
        text.Append(mostlyAscii ? QuotedPrintable(body) : Base64Lines(body));
        return text.ToString();
    }

    /// <summary>An id for In-Reply-To and References: the inbound Message-ID as given, in angle brackets.</summary>
    public static string? AngleId(string? id)
    {
        string? clean = Clean(id)?.Trim();
        if (string.IsNullOrEmpty(clean))
        {
            return null;
        }
        return clean.StartsWith('<') && clean.EndsWith('>') ? clean : $"<{clean.Trim('<', '>')}>";
    }

    /// <summary>An address for the envelope and headers: the domain in punycode; the local part must be ASCII.</summary>
    public static string AsciiAddress(string address)
    {
        int at = address.LastIndexOf('@');
        string local = at > 0 ? address[..at] : address;
        if (!Ascii(local) || local.Any(char.IsControl) || local.Contains(' '))
        {
            throw new DeliveryException("the address has characters outside ASCII before the @, which this channel cannot send", permanent: true);
        }
        return at > 0 ? local + "@" + AsciiDomain(address[(at + 1)..]) : local;
    }

    private static string Mailbox(string? name, string address)
    {
        string addr = $"<{AsciiAddress(address)}>";
        string? display = Clean(name)?.Trim();
        if (string.IsNullOrEmpty(display))
        {
            return addr;
        }
        if (Ascii(display))
        {
            return $"\"{display.Replace("\\", "\\\\").Replace("\"", "\\\"")}\" {addr}";
        }
        return string.Join("\r\n ", EncodedWords(display)) + "\r\n " + addr;
    }

    private static string Unstructured(string name, string value)
    {
        string clean = Clean(value)!.Trim();
        return Ascii(clean) ? Fold(name.Length + 2, clean) : string.Join("\r\n ", EncodedWords(clean));
    }

    /// <summary>Splits text into B encoded-words, never splitting a character's UTF-8 bytes across two words.</summary>
    internal static IReadOnlyList<string> EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>(EncodedWordBytes);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune rune in text.EnumerateRunes())
        {
            int n = rune.EncodeToUtf8(utf8);
            if (chunk.Count + n > EncodedWordBytes)
            {
                words.Add($"=?utf-8?B?{Convert.ToBase64String(chunk.ToArray())}?=");
                chunk.Clear();
            }
            chunk.AddRange(utf8[..n]);
        }
        if (chunk.Count > 0)
        {
            words.Add($"=?utf-8?B?{Convert.ToBase64String(chunk.ToArray())}?=");
        }
        return words;
    }

    // Folds a long ASCII header at spaces; a word longer than a line stays whole (the hard limit is 998).
    private static string Fold(int used, string value)
    {
        var folded = new StringBuilder();
        int lineLength = used;
        foreach (string word in value.Split(' '))
        {
            if (folded.Length > 0 && lineLength + 1 + word.Length > LineLimit)
            {
                folded.Append("\r\n");
                lineLength = 0;
            }
            if (folded.Length > 0)
            {
                folded.Append(' ');
                lineLength++;
            }
            folded.Append(word);
            lineLength += word.Length;
        }
        return folded.ToString();
    }

    internal static string QuotedPrintable(string body)
    {
        var output = new StringBuilder(body.Length + body.Length / 8);
        string[] lines = body.Split("\r\n");
        for (int l = 0; l < lines.Length; l++)
        {
            if (l > 0)
            {
                output.Append("\r\n");
            }
            byte[] bytes = Encoding.UTF8.GetBytes(lines[l]);
            int column = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                bool last = i == bytes.Length - 1;
                // Trailing white space would be stripped in transit, so it is encoded (RFC 2045, rule 3).
                string piece = (b is >= 33 and <= 126 && b != (byte)'=') || (b is (byte)' ' or (byte)'\t' && !last)
                    ? ((char)b).ToString()
                    : $"={b:X2}";
                if (column + piece.Length > (last ? 76 : 75))
                {
                    output.Append("=\r\n");
                    column = 0;
                }
                output.Append(piece);
                column += piece.Length;
            }
        }
        // SMTP needs the data to end with a line break before the final dot.
        return output.Length >= 2 && output[^1] == '\n' ? output.ToString() : output.Append("\r\n").ToString();
    }

    private static string Base64Lines(string body)
    {
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        var output = new StringBuilder(encoded.Length + encoded.Length / 38);
        for (int i = 0; i < encoded.Length; i += 76)
        {
            output.Append(encoded.AsSpan(i, Math.Min(76, encoded.Length - i))).Append("\r\n");
        }
        return output.ToString();
    }

    private static void Header(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append("\r\n");

    // A line break in a name or subject would let it add headers of its own (header injection).
    private static string? Clean(string? value) => value is null
        ? null
        : new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    private static bool Ascii(string value) => value.All(char.IsAscii);

    private static string AsciiDomain(string domain) =>
        Ascii(domain) ? domain : new IdnMapping().GetAscii(domain);
}
