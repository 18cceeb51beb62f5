using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Reads the "value; name=token; name="quoted"" shape shared by Content-Type and Content-Disposition, including
/// RFC 2231 continuations and charsets ("filename*0*=utf-8''%D8%B9; filename*1=.pdf") and the RFC 2047 encoded
/// words Outlook and Gmail put inside quoted names, which no standard allows and every client reads.
/// </summary>
internal static class HeaderParameters
{
    /// <summary>Splits a header into its main value (lower-cased) and its parameters (names lower-cased).</summary>
    internal static string Parse(string value, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int semicolon = value.IndexOf(';');
        string main = StripComments(semicolon < 0 ? value : value[..semicolon]).Trim().ToLowerInvariant();
        if (semicolon < 0)
        {
            return main;
        }
        var raw = new List<(string Name, string Value)>();
        int i = semicolon + 1;
        while (i < value.Length)
        {
            while (i < value.Length && (char.IsWhiteSpace(value[i]) || value[i] == ';'))
            {
                i++;
            }
            int nameStart = i;
            while (i < value.Length && value[i] is not ('=' or ';'))
            {
                i++;
            }
            string name = value[nameStart..i].Trim().ToLowerInvariant();
            if (i >= value.Length || value[i] == ';')
            {
                continue; // a parameter without "=" carries nothing
            }
            i++;
            while (i < value.Length && char.IsWhiteSpace(value[i]))
            {
                i++;
            }
            string parameterValue = i < value.Length && value[i] == '"' ? ReadQuoted(value, ref i) : ReadToken(value, ref i);
            if (name.Length > 0)
            {
                raw.Add((name, parameterValue));
            }
        }
        Assemble(raw, parameters);
        return main;
    }

    /// <summary>Joins RFC 2231 sections ("name*0*", "name*1") and decodes plain values' encoded words.</summary>
    private static void Assemble(List<(string Name, string Value)> raw, Dictionary<string, string> parameters)
    {
        var sections = new Dictionary<string, SortedList<int, (string Value, bool Encoded)>>(StringComparer.Ordinal);
        foreach ((string name, string value) in raw)
        {
            int star = name.IndexOf('*');
            if (star < 0)
            {
                parameters.TryAdd(name, EncodedWords.Decode(value));
                continue;
            }
            string baseName = name[..star];
            string rest = name[(star + 1)..];
            bool encoded = rest.EndsWith('*') || rest.Length == 0;
            string number = rest.TrimEnd('*');
            int index = number.Length == 0 ? 0 : int.TryParse(number, out int n) && n is >= 0 and < 1000 ? n : -1;
            if (index < 0 || baseName.Length == 0)
            {
                continue;
            }
            if (!sections.TryGetValue(baseName, out var parts))
            {
                parts = [];
                sections[baseName] = parts;
            }
            parts.TryAdd(index, (value, encoded));
        }
        foreach ((string name, var parts) in sections)
        {
            // An RFC 2231 value wins over a plain one of the same name: mailers send both, the plain one as a fallback.
            parameters[name] = JoinSections(parts);
        }
    }

    private static string JoinSections(SortedList<int, (string Value, bool Encoded)> parts)
    {
        string? charset = null;
        var bytes = new List<byte>();
        bool first = true;
        foreach ((string value, bool encoded) in parts.Values)
        {
            string text = value;
            if (first && encoded)
            {
                // charset'language'percent-encoded-text; both prefixes may be empty.
                int quote1 = text.IndexOf('\'');
                int quote2 = quote1 < 0 ? -1 : text.IndexOf('\'', quote1 + 1);
                if (quote2 > 0)
                {
                    charset = text[..quote1];
                    text = text[(quote2 + 1)..];
                }
            }
            first = false;
            if (encoded)
            {
                PercentDecode(text, bytes);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text));
            }
        }
        return Charsets.Decode(bytes.ToArray(), string.IsNullOrEmpty(charset) ? null : charset);
    }

    private static void PercentDecode(string text, List<byte> bytes)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
    }

    private static string ReadQuoted(string value, ref int i)
    {
        var sb = new StringBuilder();
        i++; // the opening quote
        while (i < value.Length && value[i] != '"')
        {
            // A backslash escapes the next character, except in Windows paths that mailers send unescaped.
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '"' or '\\')
            {
                i++;
            }
            sb.Append(value[i]);
            i++;
        }
        i++; // the closing quote, when there is one
        return sb.ToString();
    }

    private static string ReadToken(string value, ref int i)
    {
        int start = i;
        while (i < value.Length && value[i] != ';')
        {
            i++;
        }
        return StripComments(value[start..i]).Trim();
    }

    /// <summary>Removes RFC 5322 comments: "text/plain (plain text)" is "text/plain".</summary>
    internal static string StripComments(string value)
    {
        if (!value.Contains('('))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length && (quoted || depth > 0))
            {
                if (depth == 0)
                {
                    sb.Append(c).Append(value[i + 1]);
                }
                i++;
                continue;
            }
            if (c == '"' && depth == 0)
            {
                quoted = !quoted;
            }
            else if (c == '(' && !quoted)
            {
                depth++;
                continue;
            }
            else if (c == ')' && !quoted && depth > 0)
            {
                depth--;
                continue;
            }
            if (depth == 0)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
