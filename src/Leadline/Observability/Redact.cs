using System.Text.RegularExpressions;

namespace Leadline.Observability;

/// <summary>
/// Masks e-mail addresses and phone numbers in text that goes to logs at Information or above, such as a
/// provider's error message ("550 5.1.1 &lt;jordan@example.com&gt;: user unknown").
/// </summary>
public static partial class Redact
{
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\+?\d[\d\s().\-]{6,}\d")]
    private static partial Regex PhonePattern();

    public static string Contacts(string text) =>
        PhonePattern().Replace(EmailPattern().Replace(text, "[email]"),
            // Status codes such as "550 5.1.1" look similar; a phone number has at least seven digits.
            m => m.Value.Count(char.IsAsciiDigit) >= 7 ? "[phone]" : m.Value);
}
