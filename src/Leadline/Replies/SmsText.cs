using System.Text;

namespace Leadline.Replies;

/// <summary>
/// SMS length rules (PRODUCT.md 2.2: at most 2 segments). A concatenated segment carries 153 GSM-7 characters
/// (extension characters such as € or [ count twice) or 67 UCS-2 code units; one character outside GSM-7 makes
/// the whole message UCS-2, which is why Arabic replies get 134 characters and English ones 306.
/// </summary>
internal static class SmsText
{
    public const int MaxSegments = 2;
    public const int GsmLimit = 153 * MaxSegments;
    public const int Ucs2Limit = 67 * MaxSegments;

    private const string GsmBasic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string GsmExtension = "^{}\\[~]|€\f";

    /// <summary>Swaps typographic punctuation for plain ASCII, which keeps an English reply in GSM-7 (306 rather than 134 characters).</summary>
    public static string Plain(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            _ = c switch
            {
                '‘' or '’' or '′' => sb.Append('\''),
                '“' or '”' or '″' => sb.Append('"'),
                '–' or '—' or '‑' => sb.Append('-'),
                '…' => sb.Append("..."),
                '\u00A0' or '\u2009' or '\u202F' => sb.Append(' '),
                _ => sb.Append(c),
            };
        }
        return sb.ToString();
    }

    public static bool IsGsm(string text) => text.All(c => GsmBasic.Contains(c) || GsmExtension.Contains(c));

    /// <summary>The length the limit applies to: GSM-7 septets, or UTF-16 code units for UCS-2.</summary>
    public static int Length(string text) =>
        IsGsm(text) ? text.Sum(c => GsmExtension.Contains(c) ? 2 : 1) : text.Length;

    public static int Limit(string text) => IsGsm(text) ? GsmLimit : Ucs2Limit;

    public static bool Fits(string text) => Length(text) <= Limit(text);

    /// <summary>Shorter versions of an answer, longest first: whole sentences first, then cuts at a word with "...".</summary>
    public static IEnumerable<string> Shortenings(string answer)
    {
        for (int end = answer.Length - 2; end > 0; end--)
        {
            if (answer[end] is '.' or '!' or '?' or '؟' && char.IsWhiteSpace(answer[end + 1]))
            {
                yield return answer[..(end + 1)];
            }
        }
        string[] words = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int count = words.Length - 1; count >= 1; count--)
        {
            yield return string.Join(' ', words.Take(count)).TrimEnd(',', ';', ':', '،') + "...";
        }
    }
}
