using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;

namespace Leadline.Intake;

/// <summary>Normalises contacts and message bodies so the same person and the same text compare equal.</summary>
public static class ContactNormalizer
{
    // Calling codes for the countries a tenant may name as its default; numbers already in +E.164 need none.
    private static readonly Dictionary<string, string> s_callingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = "1", ["CA"] = "1", ["GB"] = "44", ["IE"] = "353", ["AU"] = "61", ["NZ"] = "64", ["IN"] = "91",
        ["DE"] = "49", ["FR"] = "33", ["ES"] = "34", ["IT"] = "39", ["NL"] = "31", ["BE"] = "32", ["CH"] = "41",
        ["AT"] = "43", ["SE"] = "46", ["NO"] = "47", ["DK"] = "45", ["FI"] = "358", ["PT"] = "351", ["PL"] = "48",
        ["SA"] = "966", ["AE"] = "971", ["QA"] = "974", ["KW"] = "965", ["BH"] = "973", ["OM"] = "968",
        ["EG"] = "20", ["JO"] = "962", ["LB"] = "961", ["MA"] = "212", ["TR"] = "90", ["ZA"] = "27",
        ["MX"] = "52", ["BR"] = "55", ["SG"] = "65", ["PK"] = "92", ["NG"] = "234", ["KE"] = "254",
    };

    public static bool IsKnownCountry(string code) => s_callingCodes.ContainsKey(code);

    /// <summary>The countries whose calling code starts an E.164 number, longest code first ("+1..." is US and CA).</summary>
    public static IEnumerable<string> CountriesOf(string e164) =>
        s_callingCodes.Where(c => e164.StartsWith("+" + c.Value, StringComparison.Ordinal))
            .OrderByDescending(c => c.Value.Length).Select(c => c.Key);

    public static string? CallingCode(string country) => s_callingCodes.GetValueOrDefault(country);

    /// <summary>Lower-cases and checks an e-mail address; null when it is not one.</summary>
    public static string? Email(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string trimmed = value.Trim();
        if (!MailAddress.TryCreate(trimmed, out MailAddress? address) || address.Address != trimmed || !address.Host.Contains('.'))
        {
            return null;
        }
        return address.Address.ToLowerInvariant();
    }

    /// <summary>
    /// Returns the number in E.164 (+ and 8 to 15 digits), reading it in <paramref name="defaultCountry"/>
    /// when it has no country code; null when it cannot be a phone number.
    /// </summary>
    public static string? Phone(string? value, string defaultCountry)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var digits = new StringBuilder();
        bool plus = false;
        foreach (char raw in value.Trim())
        {
            char c = AsciiDigit(raw);
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0 && !plus)
            {
                plus = true;
            }
            else if (c is ' ' or '-' or '.' or '(' or ')' or '/' or '\u00a0')
            {
                continue;
            }
            else if (char.IsLetter(c))
            {
                // "ext. 12" or letters: not a plain phone number we can text.
                return null;
            }
        }

        string d = digits.ToString();
        if (!plus && d.StartsWith("00", StringComparison.Ordinal))
        {
            plus = true;
            d = d[2..];
        }
        if (!plus)
        {
            string code = s_callingCodes.GetValueOrDefault(defaultCountry, "1");
            if (code == "1")
            {
                // North America: 10 digits, or 11 with the leading 1.
                d = d.Length == 11 && d[0] == '1' ? d : "1" + d;
            }
            else
            {
                d = code + d.TrimStart('0');
            }
        }
        if (d.Length is < 8 or > 15 || d[0] == '0')
        {
            return null;
        }
        if (d[0] == '1' && d.Length != 11)
        {
            return null;
        }
        return "+" + d;
    }

    /// <summary>
    /// A fingerprint of the body for the dedupe window: case, spacing and punctuation do not count,
    /// so "Need a quote!" and "need a quote" are the same message.
    /// </summary>
    public static string Fingerprint(string body)
    {
        var sb = new StringBuilder(body.Length);
        bool space = false;
        foreach (char raw in body.Normalize(NormalizationForm.FormKC))
        {
            char c = AsciiDigit(raw);
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..32];
    }

    /// <summary>Arabic-Indic and Eastern Arabic-Indic digits read as ASCII digits.</summary>
    public static char AsciiDigit(char c) => c switch
    {
        >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
        >= '\u06f0' and <= '\u06f9' => (char)('0' + (c - '\u06f0')),
        _ => c,
    };
}
