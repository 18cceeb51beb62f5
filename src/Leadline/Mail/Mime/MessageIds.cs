namespace Leadline.Mail.Mime;

/// <summary>
/// Reads Message-ID, In-Reply-To and References: ids without their angle brackets, in order, each once. Ids
/// folded across lines are rejoined; comments and phrases between ids (old mailers wrote "In-Reply-To: &lt;id&gt;
/// (Jordan's message of Monday)") are skipped; a bare id without brackets is accepted when it holds an "@".
/// </summary>
internal static class MessageIds
{
    internal static IReadOnlyList<string> Parse(string? value)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return ids;
        }
        string text = HeaderParameters.StripComments(value);
        int position = 0;
        bool bracketed = false;
        while (true)
        {
            int open = text.IndexOf('<', position);
            if (open < 0)
            {
                break;
            }
            int close = text.IndexOf('>', open + 1);
            string id = string.Concat(text[(open + 1)..(close < 0 ? text.Length : close)].Where(c => !char.IsWhiteSpace(c)));
            Add(id);
            bracketed = true;
            if (close < 0)
            {
                break;
            }
            position = close + 1;
        }
        if (!bracketed)
        {
            foreach (string token in text.Split([' ', '\t', ',', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Contains('@'))
                {
                    Add(token);
                }
            }
        }
        return ids;

        void Add(string id)
        {
            if (id.Length > 0 && seen.Add(id))
            {
                ids.Add(id);
            }
        }
    }
}
