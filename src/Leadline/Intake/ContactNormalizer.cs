using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;

namespace Leadline.Intake;

/// <summary>
/// Normalises e-mail addresses and message bodies so the same person and the same text compare equal; phone numbers
/// are read by <see cref="Phones"/>.
/// </summary>
public static class ContactNormalizer
{
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
