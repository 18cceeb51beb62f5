using System.Text.RegularExpressions;

namespace Leadline.Delivery;

/// <summary>
/// Removes personal data from provider error texts before they reach logs and job errors: mail servers like to
/// quote the address they refused ("550 5.1.1 &lt;jordan@example.com&gt;: user unknown").
/// </summary>
public static partial class Redact
{
    public static string EmailAddresses(string text) => EmailAddress().Replace(text, "[address]");

    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+\.[^\s<>""'(),;:]+")]
    private static partial Regex EmailAddress();
}
