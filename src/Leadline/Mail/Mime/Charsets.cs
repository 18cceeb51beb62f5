using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Turns bytes in a declared charset into text without ever throwing: mail in the wild declares charsets .NET does
/// not know, declares US-ASCII over UTF-8, or declares nothing over Windows-1252, and a lead must still be read.
/// </summary>
internal static class Charsets
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Windows-1252, the superset browsers and mail clients read whenever ISO-8859-1 is declared.</summary>
    internal static readonly Encoding Windows1252;

    static Charsets()
    {
        // .NET Core ships only UTF-*, ASCII and Latin-1; the code pages (Windows-1256, ISO-8859-6, KOI8-R,
        // Shift_JIS, GB2312...) come from this provider, which must be registered once per process.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> in <paramref name="charset"/>. A missing, unknown or US-ASCII charset reads
    /// as UTF-8 when the bytes are valid UTF-8 and as Windows-1252 otherwise.
    /// </summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        Encoding? encoding = Find(charset);
        if (encoding is null)
        {
            return DecodeGuessing(bytes);
        }
        return encoding.GetString(bytes);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8, else Windows-1252 (which maps every byte to a character).</summary>
    internal static string DecodeGuessing(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return s_strictUtf8.GetString(bytes);
        }
        return Windows1252.GetString(bytes);
    }

    /// <summary>The encoding for a charset name, or null when it is unknown or says nothing useful (US-ASCII).</summary>
    internal static Encoding? Find(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }
        string name = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        int star = name.IndexOf('*');
        if (star >= 0)
        {
            name = name[..star]; // RFC 2231 language suffix: "utf-8*en"
        }
        switch (name)
        {
            case "us-ascii" or "ascii" or "ansi_x3.4-1968" or "iso646-us" or "us" or "unknown-8bit" or "x-unknown" or "default":
                return null;
            case "utf-8" or "utf8" or "x-utf-8":
                return Encoding.UTF8;
            case "iso-8859-1" or "iso8859-1" or "latin1" or "latin-1" or "l1" or "iso_8859-1" or "cp819":
                return Windows1252;
        }
        if (TryCodePage(name, out int codePage))
        {
            return GetOrNull(codePage);
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // An unknown name is normal here (x-mac-roman-ish inventions, typos); the caller guesses instead.
            return null;
        }
    }

    /// <summary>Reads "cp1256", "x-cp1256", "windows1256" and "ms-1256" as code page numbers.</summary>
    private static bool TryCodePage(string name, out int codePage)
    {
        foreach (string prefix in (ReadOnlySpan<string>)["x-cp", "cp", "windows", "ms-", "win-"])
        {
            ReadOnlySpan<char> digits = name.AsSpan(Math.Min(prefix.Length, name.Length));
            if (name.StartsWith(prefix, StringComparison.Ordinal) && digits.Length is > 0 and < 6 && !digits.ContainsAnyExceptInRange('0', '9')
                && int.TryParse(digits, out codePage))
            {
                return true;
            }
        }
        codePage = 0;
        return false;
    }

    private static Encoding? GetOrNull(int codePage)
    {
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
