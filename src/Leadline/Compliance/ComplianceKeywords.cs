using System.Text;

namespace Leadline.Compliance;

/// <summary>What a lead's message asks of us under messaging law, before anything else is read into it.</summary>
public enum ComplianceRequest
{
    None,
    OptOut,
    OptIn,
    Help,
}

/// <summary>
/// Reads opt-out, opt-in and help requests (PRODUCT.md 2.6). The carrier keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL,
/// END, QUIT, REVOKE, OPTOUT; START, UNSTOP; HELP) count when they are the whole message, as carriers treat them;
/// plain-language requests ("stop texting me", "remove me from your list", "توقفوا عن مراسلتي") count anywhere in
/// it. A sentence that merely contains "stop" or "cancel" ("I need to cancel my appointment") is not an opt-out.
/// </summary>
public static class ComplianceKeywords
{
    private static readonly HashSet<string> s_optOutWords = new(StringComparer.Ordinal)
    {
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt out", "stop all",
        "إلغاء", "الغاء", "توقف", "قف", "ايقاف", "إيقاف", "الغاء الاشتراك", "إلغاء الاشتراك",
    };

    private static readonly HashSet<string> s_optInWords = new(StringComparer.Ordinal)
    {
        "start", "unstop", "yes start", "subscribe", "ابدأ", "ابدا", "اشتراك",
    };

    private static readonly HashSet<string> s_helpWords = new(StringComparer.Ordinal) { "help", "info", "مساعدة", "مساعده" };

    private static readonly string[] s_optOutPhrases =
    [
        "stop texting", "stop messaging", "stop sending", "stop contacting", "stop calling", "stop emailing",
        "remove me", "take me off", "unsubscribe me", "opt me out", "don't text me", "dont text me", "do not text me",
        "don't contact me", "dont contact me", "do not contact me", "don't message me", "do not message me",
        "no more texts", "no more messages", "leave me alone",
        "توقفوا عن", "توقف عن مراسلتي", "لا ترسلوا", "لا تراسلوني", "احذفوا رقمي", "احذف رقمي", "ازالة رقمي", "إزالة رقمي",
        "لا أريد رسائل", "لا اريد رسائل", "إلغاء الاشتراك", "الغاء الاشتراك",
    ];

    public static ComplianceRequest Classify(string message)
    {
        string text = Normalize(message);
        if (text.Length == 0)
        {
            return ComplianceRequest.None;
        }
        if (s_optOutWords.Contains(text))
        {
            return ComplianceRequest.OptOut;
        }
        if (s_optInWords.Contains(text))
        {
            return ComplianceRequest.OptIn;
        }
        if (s_helpWords.Contains(text))
        {
            return ComplianceRequest.Help;
        }
        string spaced = " " + text + " ";
        foreach (string phrase in s_optOutPhrases)
        {
            if (spaced.Contains(" " + phrase, StringComparison.Ordinal) && !Negated(spaced, phrase))
            {
                return ComplianceRequest.OptOut;
            }
        }
        return ComplianceRequest.None;
    }

    /// <summary>"please don't remove me" keeps the lead subscribed.</summary>
    private static bool Negated(string spaced, string phrase)
    {
        int at = spaced.IndexOf(" " + phrase, StringComparison.Ordinal);
        string before = spaced[..at].TrimEnd();
        return before.EndsWith(" don't", StringComparison.Ordinal) || before.EndsWith(" dont", StringComparison.Ordinal)
            || before.EndsWith(" do not", StringComparison.Ordinal) || before.EndsWith(" لا", StringComparison.Ordinal);
    }

    /// <summary>Lower case, apostrophes unified, punctuation and emoji dropped, spaces collapsed, tatweel removed.</summary>
    public static string Normalize(string message)
    {
        var sb = new StringBuilder(message.Length);
        bool space = false;
        foreach (char raw in message.Trim())
        {
            char c = raw is '\u2019' or '\u2018' ? '\'' : char.ToLowerInvariant(raw);
            if (c == '\u0640')
            {
                continue;
            }
            if (char.IsLetterOrDigit(c) || c == '\'' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                sb.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return sb.ToString();
    }
}
