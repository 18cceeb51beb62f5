namespace Leadline.Qualification.Engine;

/// <summary>
/// Folds the spelling variants that do not change meaning, so that one phrase in a table matches all of them:
/// Arabic-Indic digits, hamza and alef forms, taa marbuta, tatweel and diacritics, Persian letters used in Gulf
/// writing, typographic quotes and dashes. Case is kept (regexes ignore it; locations need capitals).
/// </summary>
internal static class TextFolding
{
    /// <summary>The folded character, or '\0' when the character carries nothing and is dropped.</summary>
    public static char Fold(char c)
    {
        if (c < 0x80)
        {
            return c;
        }
        if (c >= '\u0660' && c <= '\u0669')
        {
            return (char)('0' + (c - '\u0660'));
        }
        if (c >= '\u06F0' && c <= '\u06F9')
        {
            return (char)('0' + (c - '\u06F0'));
        }
        if ((c >= '\u064B' && c <= '\u065F') || c == '\u0670' || c == '\u0640' || (c >= '\u200B' && c <= '\u200F')
            || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\uFEFF')
        {
            return '\0';
        }
        return c switch
        {
            '\u066C' => ',', // Arabic thousands separator
            '\u066B' => '.', // Arabic decimal separator
            '\u061F' => '?',
            '\u061B' => ';',
            '\u066A' => '%',
            '\u0623' or '\u0625' or '\u0622' or '\u0671' => '\u0627', // alef forms
            '\u0649' or '\u06CC' or '\u0626' => '\u064A', // alef maqsura, Farsi yeh, yeh with hamza
            '\u0629' => '\u0647', // taa marbuta
            '\u0624' => '\u0648', // waw with hamza
            '\u06A9' or '\u06AF' => '\u0643', // Farsi kaf and gaf
            '\u0686' => '\u062C', // tcheh, as in Kuwaiti "باچر"
            '\u06A4' => '\u0641',
            '\u2018' or '\u2019' or '\u02BC' or '\u2032' => '\'',
            '\u201C' or '\u201D' => '"',
            '\u2013' or '\u2014' or '\u2212' => '-',
            '\u00A0' or '\u2009' or '\u202F' or '\u2007' => ' ',
            _ => c,
        };
    }

    /// <summary>Folds a phrase from a table the same way messages are folded.</summary>
    public static string FoldPhrase(string phrase)
    {
        var chars = new char[phrase.Length];
        int n = 0;
        foreach (char c in phrase)
        {
            char f = Fold(c);
            if (f != '\0')
            {
                chars[n++] = f;
            }
        }
        return new string(chars, 0, n);
    }

    /// <summary>The key used for dictionary look-ups of words and short phrases: folded, lower-cased, single-spaced.</summary>
    public static string Key(ReadOnlySpan<char> phrase)
    {
        Span<char> buffer = phrase.Length <= 128 ? stackalloc char[phrase.Length] : new char[phrase.Length];
        int n = 0;
        foreach (char c in phrase.Trim())
        {
            char f = Fold(c);
            if (f == '\0' || (char.IsWhiteSpace(f) && n > 0 && buffer[n - 1] == ' '))
            {
                continue;
            }
            buffer[n++] = char.IsWhiteSpace(f) ? ' ' : char.ToLowerInvariant(f);
        }
        return new string(buffer[..n]);
    }
}
