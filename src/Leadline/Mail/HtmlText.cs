using MimeKit.Text;

namespace Leadline.Mail;

/// <summary>
/// Reads the text a person sees in an HTML e-mail, for messages that have no text/plain part.
/// </summary>
/// <remarks>
/// MimeKit's <see cref="HtmlTokenizer"/> reads the markup (entities decoded, script and style contents kept apart);
/// <see cref="HtmlTextLayout"/> lays the text out our way. MimeKit's own HtmlToText keeps no table structure, and
/// form notifications are tables: a row of a short label and a value must read "Label: Value" for
/// <see cref="FormNotification"/> to find the lead's fields. Script, style, head and comments (Outlook's
/// conditional blocks too) are dropped; block elements and &lt;br&gt; become line breaks; list items start with
/// "- "; whitespace is collapsed as a browser would, and blank lines are kept to one.
/// </remarks>
public static class HtmlText
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "head", "title", "noscript", "template", "xml", "svg",
    };

    /// <summary>The readable text of <paramref name="html"/>, lines separated by "\n"; "" for null or empty input.</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }
        var layout = new HtmlTextLayout();
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        string? skipping = null;
        while (tokenizer.ReadNextToken(out HtmlToken? token))
        {
            switch (token)
            {
                case HtmlTagToken tag when skipping is not null:
                    string name = tag.Name.ToLowerInvariant();
                    // A head left open ends where the body begins.
                    if ((tag.IsEndTag && name == skipping) || (skipping == "head" && name == "body" && !tag.IsEndTag))
                    {
                        skipping = null;
                    }
                    break;
                case HtmlTagToken tag when !tag.IsEndTag && !tag.IsEmptyElement && s_skipped.Contains(tag.Name.ToLowerInvariant()):
                    skipping = tag.Name.ToLowerInvariant();
                    break;
                case HtmlTagToken tag:
                    layout.Tag(tag.Name.ToLowerInvariant(), tag.IsEndTag);
                    break;
                case HtmlDataToken data when skipping is null && token.Kind is HtmlTokenKind.Data or HtmlTokenKind.CData:
                    layout.Text(data.Data);
                    break;
            }
        }
        return layout.Finish();
    }
}
