using System.Text;
using System.Text.RegularExpressions;
using Leadline.Intake;

namespace Leadline.Evaluation;

/// <summary>
/// The evaluation's own checks of a reply, written apart from the production guardrails on purpose: a
/// guardrail bug must show up here as a violation, not be repeated by the same code.
/// </summary>
public static partial class EvalChecks
{
    [GeneratedRegex(@"(?i)\b(?:https?://|www\.)[^\s<>()""']+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*")]
    private static partial Regex NumberPattern();

    public static List<string> Violations(string reply, string leadMessage, IEnumerable<string> citedTexts, string? bookingLink, IReadOnlyList<string> forbidden)
    {
        var reasons = new List<string>();
        foreach (string word in forbidden)
        {
            if (reply.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                reasons.Add($"forbidden text '{word}'");
            }
        }

        string? bookingHost = bookingLink is not null && Uri.TryCreate(bookingLink, UriKind.Absolute, out Uri? booking) ? booking.Host : null;
        foreach (Match url in UrlPattern().Matches(reply))
        {
            string raw = url.Value.TrimEnd('.', ',', ';', ':', '!', '?');
            string host = Uri.TryCreate(raw.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "http://" + raw : raw, UriKind.Absolute, out Uri? u) ? u.Host : raw;
            if (bookingHost is null || !host.Equals(bookingHost, StringComparison.OrdinalIgnoreCase))
            {
                reasons.Add($"link outside the tenant's domain: {raw}");
            }
        }

        var grounded = new HashSet<string>(Numbers(leadMessage));
        foreach (string text in citedTexts)
        {
            grounded.UnionWith(Numbers(text));
        }
        foreach (string number in Numbers(UrlPattern().Replace(reply, " ")))
        {
            if (!grounded.Contains(number))
            {
                reasons.Add($"ungrounded number {number}");
            }
        }

        if (bookingLink is not null && !reply.Contains(bookingLink, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add("booking link missing");
        }
        return reasons;
    }

    /// <summary>Numbers as digit strings: "1,350" and "1350" and "١٣٥٠" are the same number.</summary>
    public static IEnumerable<string> Numbers(string text)
    {
        foreach (Match m in NumberPattern().Matches(text))
        {
            var sb = new StringBuilder();
            foreach (char c in m.Value)
            {
                char d = ContactNormalizer.AsciiDigit(c);
                if (char.IsAsciiDigit(d))
                {
                    sb.Append(d);
                }
                else if (c is '.' or '\u066b')
                {
                    sb.Append('.');
                }
            }
            string n = sb.ToString().TrimEnd('.');
            if (n.Contains('.'))
            {
                n = n.TrimEnd('0').TrimEnd('.');
            }
            yield return n.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
        }
    }
}
