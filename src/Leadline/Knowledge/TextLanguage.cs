namespace Leadline.Knowledge;

/// <summary>Which language a lead wrote in: <c>ar</c> when most letters are Arabic, else <c>en</c> (PRODUCT.md 5).</summary>
public static class TextLanguage
{
    public const string English = "en";
    public const string Arabic = "ar";

    public static string Detect(string? text)
    {
        int letters = 0;
        int arabic = 0;
        foreach (char c in text ?? "")
        {
            if (!char.IsLetter(c))
            {
                continue;
            }
            letters++;
            if (IsArabic(c))
            {
                arabic++;
            }
        }
        return arabic * 2 > letters ? Arabic : English;
    }

    /// <summary>The Arabic blocks, including the supplement, extended-A and presentation forms.</summary>
    public static bool IsArabic(char c) =>
        c is (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') or (>= '\u08A0' and <= '\u08FF')
          or (>= '\uFB50' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF');

    public static bool ContainsArabic(string text)
    {
        foreach (char c in text)
        {
            if (IsArabic(c) && char.IsLetter(c))
            {
                return true;
            }
        }
        return false;
    }
}
