using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Leadline.Mail;

/// <summary>
/// Reads one "Label: value" line of a form notification and knows which labels name which field, in English and
/// Arabic, in the spellings forms use ("E-mail", "Phone Number", "fname", "How can we help?").
/// </summary>
internal static class FormLabels
{
    /// <summary>A field read from the text; the value grows when a message continues over more lines.</summary>
    internal sealed class Entry(string label, FormField? field, bool isMachineKey, string value, int words)
    {
        /// <summary>The label as written, without markdown: "Page URL", "phone_number".</summary>
        public string Label { get; } = label;

        public int Words { get; } = words;

        public FormField? Field { get; } = field;

        /// <summary>True for labels written as keys ("phone_number"), which a person's sentence never is.</summary>
        public bool IsMachineKey { get; } = isMachineKey;

        public StringBuilder Value { get; } = new(value);
    }

    private static readonly Dictionary<string, FormField> s_fields = Build(new()
    {
        [FormField.Name] = ["name", "full name", "fullname", "contact name", "customer name", "client name", "الاسم", "الاسم الكامل", "اسمك"],
        [FormField.FirstName] = ["first name", "firstname", "fname", "first", "given name", "الاسم الأول"],
        [FormField.LastName] = ["last name", "lastname", "lname", "last", "surname", "family name", "اسم العائلة"],
        [FormField.Email] =
        [
            "email", "e-mail", "email address", "e-mail address", "mail", "emailaddress", "البريد الإلكتروني",
            "البريد الالكتروني", "الإيميل", "الايميل", "البريد",
        ],
        [FormField.Phone] =
        [
            "phone", "phone number", "phone no", "phonenumber", "mobile", "mobile number", "mobile phone", "tel",
            "telephone", "telephone number", "cell", "cell phone", "cellphone", "contact number", "whatsapp",
            "whatsapp number", "الهاتف", "رقم الهاتف", "الجوال", "رقم الجوال", "الموبايل", "رقم الموبايل",
        ],
        [FormField.Message] =
        [
            "message", "comments", "comment", "how can we help", "how can we help you", "how can i help", "details",
            "inquiry", "enquiry", "question", "questions", "notes", "additional information", "additional info",
            "project details", "description", "request", "الرسالة", "رسالتك", "التفاصيل", "ملاحظات", "الاستفسار",
        ],
        [FormField.Company] = ["company", "company name", "business", "business name", "organization", "organisation", "الشركة", "اسم الشركة"],
        [FormField.Service] =
        [
            "service", "services", "service needed", "service required", "service interested in", "interested in",
            "الخدمة", "الخدمة المطلوبة",
        ],
    });

    /// <summary>Reads "Label: value" (bullets and markdown bold around the label allowed); false for other lines.</summary>
    internal static bool TryRead(string line, [NotNullWhen(true)] out Entry? entry)
    {
        entry = null;
        string text = line.Trim();
        while (text.Length > 1 && text[0] is '-' or '•' or '*' && text[1] == ' ')
        {
            text = text[2..].TrimStart();
        }
        int colon = text.IndexOfAny([':', '\uFF1A']);
        if (colon <= 0)
        {
            return false;
        }
        // Markdown emphasis ("**Email:**", "__Email__:") is not part of the label.
        string label = string.Join(' ', text[..colon].Replace("*", "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('_');
        bool machineKey = label.Contains('_') && !label.Contains(' ');
        string words = string.Join(' ', label.Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries));
        string value = text[(colon + 1)..].Trim().Trim('*').Trim();
        if (!IsLabel(words, machineKey) || value.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }
        entry = new Entry(label.TrimEnd('?', '.').Trim(), FieldOf(words), machineKey, value, words.Count(c => c == ' ') + 1);
        return true;
    }

    /// <summary>"----", "____" or "====" lines that forms put between the fields and their footer.</summary>
    internal static bool IsSeparator(string line) => line.Length >= 3 && line.Trim('-', '_', '=', '*', ' ').Length == 0;

    /// <summary>The e-mail address in a field's value ("x@y.com", "x@y.com &lt;mailto:x@y.com&gt;"); null when there is none.</summary>
    internal static string? EmailIn(string value)
    {
        foreach (string token in value.Split([' ', '\t', '<', '>', '(', ')', '[', ']', ',', ';', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = token.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? token[7..] : token;
            candidate = candidate.TrimEnd('.');
            int at = candidate.IndexOf('@');
            if (at > 0 && at == candidate.LastIndexOf('@') && candidate.IndexOf('.', at) > at + 1 && !candidate.EndsWith('@'))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The phone number as written ("+1 (555) 123-4567"), when it has at least 7 digits; else null.</summary>
    internal static string? PhoneIn(string value)
    {
        string text = value.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? value[4..] : value;
        int link = text.IndexOf('<');
        if (link > 0)
        {
            text = text[..link]; // "+1 555 123 4567 <tel:+15551234567>" from a client that spelled out the link
        }
        text = text.Trim();
        int digits = text.Count(char.IsDigit);
        return digits is >= 7 and <= 20 ? text : null;
    }

    /// <summary>"Jordan Lee" is first name Jordan and last name Lee; "Lee, Jordan" too; one word is a first name.</summary>
    internal static (string? First, string? Last) SplitName(string name)
    {
        int comma = name.IndexOf(',');
        if (comma > 0 && comma < name.Length - 1)
        {
            return (name[(comma + 1)..].Trim(), name[..comma].Trim());
        }
        int space = name.IndexOf(' ');
        return space < 0 ? (name, null) : (name[..space], name[(space + 1)..].Trim());
    }

    private static FormField? FieldOf(string label)
    {
        string key = label.ToLowerInvariant().TrimEnd('?', '.', ' ');
        if (key.StartsWith("your ", StringComparison.Ordinal))
        {
            key = key[5..];
        }
        return s_fields.TryGetValue(key, out FormField field) ? field : null;
    }

    /// <summary>Short, starts with a letter, words and a little punctuation only: not a sentence or a time (a URL fails on its "//").</summary>
    private static bool IsLabel(string label, bool machineKey)
    {
        if (label.Length is 0 or > 60 || !char.IsLetter(label[0]))
        {
            return false;
        }
        if (label.Count(c => c == ' ') >= (machineKey ? 12 : 6))
        {
            return false;
        }
        string body = label.TrimEnd('?', '.');
        return body.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '(' or ')' or '&' or '\'' or '/' or '#' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark);
    }

    private static Dictionary<string, FormField> Build(Dictionary<FormField, string[]> labels)
    {
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);
        foreach ((FormField field, string[] names) in labels)
        {
            foreach (string name in names)
            {
                fields[name] = field;
            }
        }
        return fields;
    }
}

/// <summary>The fields of <see cref="FormNotification"/> that a label can name.</summary>
internal enum FormField
{
    Name,
    FirstName,
    LastName,
    Email,
    Phone,
    Message,
    Company,
    Service,
}
