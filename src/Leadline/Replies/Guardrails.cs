using System.Text;
using System.Text.RegularExpressions;
using Leadline.Knowledge;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// Judges every draft the same way whatever engine wrote it (PRODUCT.md 2.2): facts (numbers, prices, phone
/// numbers, percentages) must appear in the FAQs the draft cites or in the lead's own message; links may only point
/// to the tenant's booking link host (or a host the tenant itself wrote in the cited FAQ, its templates or its
/// signature, never one from the lead's message); the booking link must be there when
/// the tenant has one; nothing may look like a secret; an SMS fits in two segments. A draft that fails becomes the
/// safe fallback, with the reasons kept in <see cref="ReplyDraft.Violations"/>.
/// </summary>
public static partial class Guardrails
{
    /// <summary>Returns the draft (an SMS possibly shortened) when it passes, else the fallback with the reasons.</summary>
    public static ReplyDraft Apply(ReplyDraft draft, ReplyContext context)
    {
        List<string> reasons = Check(draft, context);
        if (reasons.Count == 0)
        {
            var (fitted, tooLong) = FitChannel(draft, context.Channel);
            if (tooLong is null)
            {
                return fitted;
            }
            reasons.Add(tooLong);
        }
        ReplyDraft fallback = ReplyTemplates.Fallback(context, draft.Language, draft.Confidence, draft.Engine);
        return FitChannel(fallback, context.Channel).Draft with { Violations = reasons };
    }

    /// <summary>The short code of a reason ("ungrounded_number" of "ungrounded_number: states ..."), for metrics.</summary>
    public static string CodeOf(string reason) => reason.IndexOf(": ", StringComparison.Ordinal) is > 0 and var i ? reason[..i] : "other";

    /// <summary>The reasons a draft may not be sent (length aside); empty when it may.</summary>
    public static List<string> Check(ReplyDraft draft, ReplyContext context)
    {
        var reasons = new List<string>();
        TenantSettings settings = context.Tenant.Settings;
        var cited = new List<Faq>();
        foreach (string id in draft.FaqIds)
        {
            if (context.Snippets.FirstOrDefault(s => s.Faq.Reference == id) is { } match)
            {
                cited.Add(match.Faq);
            }
            else
            {
                reasons.Add($"uncited_faq: cites FAQ '{id}', which retrieval did not supply");
            }
        }
        string faqText = string.Join("\n", cited.SelectMany(FaqTexts));

        string? link = string.IsNullOrWhiteSpace(settings.BookingLink) ? null : settings.BookingLink.Trim();
        if (link is not null && !draft.Text.Contains(link, StringComparison.Ordinal))
        {
            reasons.Add("missing_booking_link: the booking link is missing");
        }

        var allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (link is not null && Host(link) is { } bookingHost)
        {
            allowedHosts.Add(bookingHost);
        }
        // The tenant's own words (cited FAQs, templates, signature) may name its website; the lead's may not.
        string tenantText = string.Join("\n", [faqText, settings.Tone.Signature ?? "", .. settings.Templates.Values]);
        foreach (Match m in Links().Matches(tenantText))
        {
            if (Host(m.Value) is { } host)
            {
                allowedHosts.Add(host);
            }
        }
        foreach (Match m in Links().Matches(draft.Text))
        {
            string? host = Host(m.Value);
            if (host is null || !allowedHosts.Contains(host))
            {
                reasons.Add($"foreign_link: links to '{host ?? m.Value}', which is not the tenant's booking link");
            }
        }

        string grounding = string.Join("\n", [
            faqText, context.InboundText, context.Subject ?? "", context.Lead.FirstName ?? "", context.Lead.LastName ?? "",
            settings.BusinessName, context.Tenant.Name, settings.Tone.Signature ?? "", link ?? "", .. settings.Templates.Values]);
        Facts known = Facts.Of(grounding);
        Facts stated = Facts.Of(draft.Text);
        foreach (string number in stated.Numbers.Where(n => !known.Numbers.Contains(n)))
        {
            reasons.Add($"ungrounded_number: states '{number}', which is in neither the cited FAQ nor the lead's message");
        }
        foreach (string phone in stated.Phones.Where(p => !known.Phones.Any(k => SamePhone(k, p)) && !known.Numbers.Contains(p)))
        {
            reasons.Add($"ungrounded_phone: states the phone number '{phone}', which is in neither the cited FAQ nor the lead's message");
        }

        if (Secret().IsMatch(draft.Text))
        {
            reasons.Add("secret: contains something that looks like an API key or token");
        }
        return reasons;
    }

    /// <summary>
    /// Makes an SMS fit in two segments by shortening the FAQ answer (never the call to action or the link);
    /// returns a reason instead when even the shortest answer does not fit. Other channels pass unchanged.
    /// </summary>
    public static (ReplyDraft Draft, string? Problem) FitChannel(ReplyDraft draft, string channel)
    {
        if (channel != "sms")
        {
            return (draft, null);
        }
        string text = SmsText.Plain(draft.Text);
        string? answer = draft.Answer is null ? null : SmsText.Plain(draft.Answer);
        if (SmsText.Fits(text))
        {
            return (draft with { Text = text, Answer = answer }, null);
        }
        int at = answer is { Length: > 0 } ? text.IndexOf(answer, StringComparison.Ordinal) : -1;
        if (at >= 0)
        {
            foreach (string shorter in SmsText.Shortenings(answer!))
            {
                string candidate = string.Concat(text.AsSpan(0, at), shorter, text.AsSpan(at + answer!.Length));
                if (SmsText.Fits(candidate))
                {
                    return (draft with { Text = candidate, Answer = shorter }, null);
                }
            }
        }
        return (draft with { Text = text, Answer = answer },
            $"too_long: the reply needs {SmsText.Length(text)} characters, more than {SmsText.MaxSegments} SMS segments ({SmsText.Limit(text)}) hold even with the answer shortened");
    }

    private static IEnumerable<string> FaqTexts(Faq faq) =>
        [faq.Question, faq.Answer, .. faq.Translations.Values.SelectMany(t => new[] { t.Question, t.Answer })];

    private static bool SamePhone(string known, string stated) =>
        known.EndsWith(stated, StringComparison.Ordinal) || stated.EndsWith(known, StringComparison.Ordinal);

    private static string? Host(string link)
    {
        string absolute = link.Contains("://", StringComparison.Ordinal) ? link : "http://" + link;
        if (!Uri.TryCreate(absolute, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        string host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    // Links with a scheme, "www." links, and bare domains with a path or a common top-level domain. The lookbehind
    // skips e-mail addresses (user@host.com), which are not links.
    [GeneratedRegex("""
        https?://[^\s<>"'()\[\]]+
        | (?<![@\w.-])www\.[^\s<>"'()\[\]]+
        | (?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s<>"'()\[\]]*
        | (?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|app|dev|ai|me|info|biz|link|site|online|store|shop|xyz|ly|gg|tv)\b
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    internal static partial Regex Links();

    [GeneratedRegex(@"\b(?:ll_[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9_-]{20,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|AC[0-9a-f]{32}|xox[abp]-[A-Za-z0-9-]{10,})")]
    private static partial Regex Secret();

    /// <summary>The numbers and phone numbers a text states, normalised so "1,350" equals "1350" and "٣" equals "3".</summary>
    private sealed partial record Facts(HashSet<string> Numbers, HashSet<string> Phones)
    {
        [GeneratedRegex(@"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")]
        private static partial Regex Email();

        [GeneratedRegex(@"\+?\d[\d \-().]{5,}\d")]
        private static partial Regex PhoneLike();

        [GeneratedRegex(@"\d+(?:[.,:]\d+)*%?")]
        private static partial Regex NumberLike();

        [GeneratedRegex(@"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")]
        private static partial Regex Thousands();

        public static Facts Of(string text)
        {
            string plain = Email().Replace(Links().Replace(AsciiDigits(text), " "), " ");
            var phones = new HashSet<string>(StringComparer.Ordinal);
            plain = PhoneLike().Replace(plain, m =>
            {
                string digits = new(m.Value.Where(char.IsAsciiDigit).ToArray());
                if (digits.Length < 7)
                {
                    return m.Value;
                }
                phones.Add(digits);
                return " ";
            });
            var numbers = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in NumberLike().Matches(plain))
            {
                bool percent = m.Value.EndsWith('%');
                string value = m.Value.TrimEnd('%').TrimEnd('.', ',', ':');
                if (Thousands().IsMatch(value))
                {
                    value = value.Replace(",", "", StringComparison.Ordinal);
                }
                if (value.All(char.IsAsciiDigit))
                {
                    value = value.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
                }
                numbers.Add(percent ? value + "%" : value);
            }
            // A number stated plainly is grounded by the same number written as a percentage, not the other way round.
            foreach (string n in numbers.Where(n => n.EndsWith('%')).ToList())
            {
                numbers.Add(n.TrimEnd('%'));
            }
            return new Facts(numbers, phones);
        }

        private static string AsciiDigits(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                sb.Append(c switch
                {
                    >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
                    >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
                    '٫' => '.',
                    '٬' => ',',
                    '٪' => '%',
                    _ => c,
                });
            }
            return sb.ToString();
        }
    }
}
