namespace Leadline.Qualification.Engine;

/// <summary>
/// A light stemmer, enough to let "installing" meet "installation" and "بالشقة" meet "شقق": it strips common English
/// suffixes and Arabic clitics and suffixes, and maps words through the tables' synonyms (Arabic words to the
/// English words tenants name their services with).
/// </summary>
internal static class Stemmer
{
    private static readonly string[] s_englishSuffixes = ["ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "al", "s"];
    private static readonly string[] s_arabicPrefixes = ["وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ب"];
    private static readonly string[] s_arabicSuffixes = ["اتي", "تي", "ات", "ين", "ون", "ها", "هم", "نا", "ه", "ي"];

    /// <summary>The stem of a word already folded and lower-cased with <see cref="TextFolding.Key"/>.</summary>
    public static string Stem(string key, Words words)
    {
        if (words.Synonyms.TryGetValue(key, out string? meaning))
        {
            return Stem(meaning, words);
        }
        if (key.Length == 0 || key[0] < 0x0600)
        {
            return English(key);
        }
        string word = key;
        foreach (string prefix in s_arabicPrefixes)
        {
            if (word.Length - prefix.Length >= 3 && word.StartsWith(prefix, StringComparison.Ordinal))
            {
                word = word[prefix.Length..];
                break;
            }
        }
        if (words.Synonyms.TryGetValue(word, out meaning))
        {
            return Stem(meaning, words);
        }
        foreach (string suffix in s_arabicSuffixes)
        {
            if (word.Length - suffix.Length >= 2 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                word = word[..^suffix.Length];
                break;
            }
        }
        return words.Synonyms.TryGetValue(word, out meaning) ? Stem(meaning, words) : word;
    }

    private static string English(string word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            word = word[..^2];
        }
        // Two rounds, so that "rentals" meets "rent" and "installations" meets "install".
        for (int round = 0; round < 2; round++)
        {
            foreach (string suffix in s_englishSuffixes)
            {
                if (word.Length - suffix.Length >= 3 && word.EndsWith(suffix, StringComparison.Ordinal)
                    && !(suffix == "s" && (word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal))))
                {
                    word = word[..^suffix.Length] + (suffix == "ies" ? "y" : "");
                    break;
                }
            }
        }
        // "plann(ing)" → "plan", "install" stays (double l is part of the word in both forms).
        if (word.Length > 3 && word[^1] == word[^2] && word[^1] is not ('l' or 's' or 'e' or 'o'))
        {
            word = word[..^1];
        }
        return word.EndsWith('e') && word.Length > 3 ? word[..^1] : word;
    }
}
