using System.Text;

namespace Leadline.Knowledge;

/// <summary>
/// Arabic spelling normalisation and the "light10" stemmer (Larkey, Ballesteros and Connell, 2007): strip the
/// article and a few clitics and suffixes, so "الشقق" and "شقق", or "أحجز" and "احجز", compare equal.
/// </summary>
internal static class ArabicStemmer
{
    private static readonly string[] s_prefixes = ["وال", "بال", "كال", "فال", "لل", "ال"];
    // Light10's suffixes, plural endings first, so a plural and its singular end the same: سخانات -> سخان -> سخ, as
    // سخان -> سخ (light10's own order strips "ان" before "ات" and leaves the plural one letter pair longer).
    private static readonly string[] s_suffixes = ["ات", "ون", "ين", "ها", "ان", "يه", "ية", "ه", "ة", "ي"];

    /// <summary>Unifies the letters people type interchangeably and drops diacritics and the tatweel.</summary>
    public static string Normalize(string word)
    {
        var sb = new StringBuilder(word.Length);
        foreach (char c in word)
        {
            switch (c)
            {
                case 'أ' or 'إ' or 'آ' or 'ٱ':
                    sb.Append('ا');
                    break;
                case 'ى':
                    sb.Append('ي');
                    break;
                case 'ة':
                    sb.Append('ه');
                    break;
                case 'ؤ':
                    sb.Append('و');
                    break;
                case 'ئ':
                    sb.Append('ي');
                    break;
                case 'ـ':
                    break;
                case >= '\u064B' and <= '\u065F' or '\u0670':
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Stems a normalised word; keeps at least two letters.</summary>
    public static string Stem(string word)
    {
        if (word.Length > 3 && word[0] == 'و')
        {
            word = word[1..];
        }
        foreach (string prefix in s_prefixes)
        {
            if (word.StartsWith(prefix, StringComparison.Ordinal) && word.Length - prefix.Length >= 2)
            {
                word = word[prefix.Length..];
                break;
            }
        }
        foreach (string suffix in s_suffixes)
        {
            if (word.Length > suffix.Length + 1 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                word = word[..^suffix.Length];
            }
        }
        return word;
    }
}
