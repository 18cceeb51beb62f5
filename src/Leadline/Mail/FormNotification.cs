using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace Leadline.Mail;

/// <summary>
/// The fields of a web-form notification e-mail (Unbounce, WordPress forms, Webflow, Typeform and the like): the
/// lead's own details as the form collected them, with every other field in <see cref="Other"/> under its label
/// as written without markdown ("Service", "Page URL", "what_kind_of_office_space_are_you_interested_in").
/// </summary>
/// <remarks>
/// Only the body is read. Such e-mails come from the form service's own address, which must never become the
/// lead's contact; the lead's address is the one in the "Email:" field.
/// </remarks>
public sealed record FormNotification(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Message,
    string? Company,
    IReadOnlyDictionary<string, string> Other)
{
    /// <summary>Reads the message's text part, else its HTML part; false for a personal e-mail.</summary>
    public static bool TryParse(MimeMessage message, [NotNullWhen(true)] out FormNotification? form)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TryParse(MailContent.PlainText(message), MailContent.Html(message), out form);
    }

    /// <summary>
    /// Reads "Label: value" lines (also "**Email:** x", "- Name: x", "phone_number: x", a message continuing over
    /// several lines) from <paramref name="text"/>, else from the text of <paramref name="html"/>, whose table rows
    /// ("&lt;td&gt;Email&lt;/td&gt;&lt;td&gt;x&lt;/td&gt;") read the same way. It is a form when it has an e-mail address or
    /// phone number field and at least one more of name, message, company or service: a signature with "Phone:" and
    /// "Email:" lines under a personal message is not a form. False leaves <paramref name="form"/> null.
    /// </summary>
    public static bool TryParse(string? text, string? html, [NotNullWhen(true)] out FormNotification? form)
    {
        form = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            form = FromLines(text);
        }
        if (form is null && !string.IsNullOrWhiteSpace(html))
        {
            form = FromLines(HtmlText.ToText(html));
        }
        return form is not null;
    }

    private static FormNotification? FromLines(string text)
    {
        List<FormLabels.Entry> entries = ReadEntries(text);
        string? name = null, first = null, last = null, email = null, phone = null, message = null, company = null, service = null;
        var other = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (FormLabels.Entry entry in entries)
        {
            string value = entry.Value.ToString().Trim();
            if (value.Length == 0)
            {
                continue;
            }
            switch (entry.Field)
            {
                case FormField.Name: name ??= value; break;
                case FormField.FirstName: first ??= value; break;
                case FormField.LastName: last ??= value; break;
                case FormField.Email when FormLabels.EmailIn(value) is { } address: email ??= address; break;
                case FormField.Phone when FormLabels.PhoneIn(value) is { } number: phone ??= number; break;
                case FormField.Message: message ??= value; break;
                case FormField.Company: company ??= value; break;
                case FormField.Service: service ??= value; other.TryAdd("Service", value); break;
                default: other.TryAdd(entry.Label, value); break;
            }
        }
        bool contact = email is not null || phone is not null;
        bool about = name is not null || first is not null || last is not null || message is not null || company is not null || service is not null;
        if (!contact || !about)
        {
            return null;
        }
        if (first is null && last is null && name is not null)
        {
            (first, last) = FormLabels.SplitName(name);
        }
        return new FormNotification(first, last, email, phone, message, company, other);
    }

    /// <summary>
    /// The "Label: value" entries in order. A message field continues over the following lines until another field
    /// (a sentence with a colon, whose "label" has more than three words, is part of the message), a separator line
    /// or two blank lines; any other field whose value is empty on its line takes the next line ("Name:", "Jordan").
    /// </summary>
    private static List<FormLabels.Entry> ReadEntries(string text)
    {
        var entries = new List<FormLabels.Entry>();
        FormLabels.Entry? open = null;
        int blanks = 0;
        foreach (string rawLine in text.Replace("\r\n", "\n").Split('\n'))
        {
            string line = rawLine.Trim();
            bool labelled = FormLabels.TryRead(line, out FormLabels.Entry? entry);
            if (labelled && open is not null && open.Field == FormField.Message && entry!.Field is null && !entry.IsMachineKey && entry.Words > 3)
            {
                labelled = false; // "What we would like to know: the price" inside a message is part of the message
            }
            if (labelled)
            {
                entries.Add(entry!);
                open = entry!.Field == FormField.Message || entry.Value.Length == 0 ? entry : null;
                blanks = 0;
                continue;
            }
            if (open is null)
            {
                continue;
            }
            if (line.Length == 0)
            {
                if (++blanks >= 2 && open.Value.Length > 0)
                {
                    open = null;
                }
                continue;
            }
            if (FormLabels.IsSeparator(line))
            {
                open = null;
                continue;
            }
            if (open.Value.Length > 0)
            {
                open.Value.Append(blanks > 0 ? "\n\n" : "\n");
            }
            open.Value.Append(line);
            blanks = 0;
            if (open.Field != FormField.Message)
            {
                open = null;
            }
        }
        return entries;
    }
}
