namespace Leadline.Mail.Mime;

/// <summary>
/// Lenient Content-Transfer-Encoding decoders. Both accept anything: base64 skips characters outside its alphabet and
/// survives missing or misplaced padding (some mailers pad every line); quoted-printable keeps a bad "=" escape as
/// text. Each decoder can also only count its output, so an attachment's size is known without allocating it.
/// </summary>
internal static class TransferDecoding
{
    private const int Skip = -1;
    private const int Padding = -2;
    private static readonly sbyte[] s_base64 = BuildBase64Table();

    /// <summary>The decoded bytes of a body in the given transfer encoding (7bit, 8bit, binary and unknown ones as-is).</summary>
    internal static byte[] Decode(ReadOnlySpan<byte> body, string encoding)
    {
        // Counting first sizes the array exactly: one more pass over the input costs less than a second copy of a
        // large attachment.
        switch (encoding)
        {
            case "base64":
            {
                byte[] output = new byte[DecodeBase64(body, [])];
                DecodeBase64(body, output);
                return output;
            }
            case "quoted-printable":
            {
                byte[] output = new byte[DecodeQuotedPrintable(body, [])];
                DecodeQuotedPrintable(body, output);
                return output;
            }
            default:
                return body.ToArray();
        }
    }

    /// <summary>How many bytes <see cref="Decode"/> would return, without allocating them.</summary>
    internal static long DecodedLength(ReadOnlySpan<byte> body, string encoding) => encoding switch
    {
        "base64" => DecodeBase64(body, []),
        "quoted-printable" => DecodeQuotedPrintable(body, []),
        _ => body.Length,
    };

    /// <summary>Decodes base64 into <paramref name="output"/>, or only counts when it is empty; returns the length.</summary>
    internal static int DecodeBase64(ReadOnlySpan<byte> input, Span<byte> output)
    {
        bool write = !output.IsEmpty;
        int length = 0;
        int quantum = 0;
        int bits = 0;
        for (int i = 0; i <= input.Length; i++)
        {
            int value = i < input.Length ? s_base64[input[i]] : Padding;
            if (value == Skip)
            {
                continue;
            }
            if (value == Padding)
            {
                // Padding (or the end) closes a group: two characters carry one byte, three carry two, a lone one
                // carries nothing whole. Decoding goes on after it, for mailers that pad every line.
                if (quantum >= 2)
                {
                    int aligned = bits << (6 * (4 - quantum));
                    for (int k = 0; k < quantum - 1; k++)
                    {
                        if (write)
                        {
                            output[length] = (byte)(aligned >> (16 - 8 * k));
                        }
                        length++;
                    }
                }
                quantum = 0;
                bits = 0;
                continue;
            }
            bits = bits << 6 | value;
            if (++quantum == 4)
            {
                if (write)
                {
                    output[length] = (byte)(bits >> 16);
                    output[length + 1] = (byte)(bits >> 8);
                    output[length + 2] = (byte)bits;
                }
                length += 3;
                quantum = 0;
                bits = 0;
            }
        }
        return length;
    }

    /// <summary>
    /// Decodes quoted-printable into <paramref name="output"/>, or only counts when it is empty; returns the length.
    /// "=" before a line break is a soft break and vanishes; whitespace at the end of a line is padding and is dropped.
    /// </summary>
    internal static int DecodeQuotedPrintable(ReadOnlySpan<byte> input, Span<byte> output)
    {
        bool write = !output.IsEmpty;
        int length = 0;
        int contentEnd = 0; // the output length after the last byte that is not trailing whitespace
        int i = 0;
        while (i < input.Length)
        {
            byte b = input[i];
            int consumed = 1;
            if (b == (byte)'=')
            {
                int high = i + 2 < input.Length ? HexValue(input[i + 1]) : -1;
                int low = high >= 0 ? HexValue(input[i + 2]) : -1;
                if (low >= 0)
                {
                    b = (byte)(high << 4 | low);
                    consumed = 3;
                }
                else if (SoftBreakLength(input[(i + 1)..]) is int soft and >= 0)
                {
                    i += 1 + soft;
                    continue;
                }
                // Otherwise a bad escape: the "=" stays as written.
            }
            else if (b is (byte)'\r' or (byte)'\n')
            {
                length = contentEnd;
            }
            // Padding written here may run past the final length before a line break takes it back; in the
            // exact-size writing pass there is no room for it, and it is never part of the result.
            if (write && length < output.Length)
            {
                output[length] = b;
            }
            length++;
            if (consumed == 3 || b is not ((byte)' ' or (byte)'\t'))
            {
                contentEnd = length;
            }
            i += consumed;
        }
        return length;
    }

    /// <summary>The length of optional padding and a line break after "=", or -1 when something else follows it.</summary>
    private static int SoftBreakLength(ReadOnlySpan<byte> rest)
    {
        int j = 0;
        while (j < rest.Length && rest[j] is (byte)' ' or (byte)'\t')
        {
            j++;
        }
        if (j == rest.Length)
        {
            return j;
        }
        if (rest[j] == (byte)'\n')
        {
            return j + 1;
        }
        if (rest[j] == (byte)'\r')
        {
            return j + 1 < rest.Length && rest[j + 1] == (byte)'\n' ? j + 2 : j + 1;
        }
        return -1;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    private static sbyte[] BuildBase64Table()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)Skip);
        table['='] = Padding;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }
        return table;
    }
}
