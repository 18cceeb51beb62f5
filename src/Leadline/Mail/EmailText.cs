namespace Leadline.Mail;

/// <summary>
/// Finds what a person newly wrote in an e-mail, without the history their client quoted below it or their
/// signature, so a reply answers this message and not the whole thread.
/// </summary>
/// <remarks>
/// Cuts at the first of: a reply header ("On Mon, 6 Jan 2025 at 10:00, Jordan &lt;j@x&gt; wrote:", also wrapped
/// over two lines and in French, German, Spanish, Italian, Dutch, Portuguese and Arabic), "-----Original
/// Message-----", an Outlook "From: / Sent:" block, the "-- " signature delimiter, or a mobile signature ("Sent from
/// my iPhone"); then drops the remaining "&gt;" lines (answers written between quotes stay). Nothing after a
/// "Forwarded message" line is cut: what was forwarded is usually the point. When trimming would leave nothing (a
/// reply written below the quote, or only a quote), the unquoted lines are used, and failing that the whole text:
/// never "" for a message that had content.
/// </remarks>
public static class EmailText
{
    private static readonly string[] s_wroteWords =
    [
        "wrote", "a écrit", "schrieb", "escribió", "ha scritto", "schreef", "escreveu", "skrev", "kirjoitti", "napisał", "كتب",
    ];

    private static readonly string[] s_replyStarts = ["On ", "Le ", "Am ", "El ", "Il ", "Op ", "Em ", "Den ", "في ", "بتاريخ "];

    private static readonly string[] s_originalMessage =
    [
        "original message", "message d'origine", "ursprüngliche nachricht", "mensaje original", "messaggio originale",
        "oorspronkelijk bericht", "mensagem original", "الرسالة الأصلية",
    ];

    private static readonly string[] s_forwardMarkers =
    [
        "forwarded message", "begin forwarded message", "message transféré", "weitergeleitete nachricht",
        "mensaje reenviado", "messaggio inoltrato", "doorgestuurd bericht", "mensagem encaminhada", "رسالة معاد توجيهها",
        "رسالة مُعاد توجيهها",
    ];

    private static readonly string[] s_fromLabels = ["from:", "de:", "de :", "von:", "da:", "van:", "من:"];

    private static readonly string[] s_sentLabels =
    [
        "sent:", "date:", "envoyé :", "envoyé:", "gesendet:", "enviado:", "inviato:", "verzonden:", "datum:",
        "تاريخ الإرسال:", "التاريخ:", "أرسل:", "to:", "subject:",
    ];

    private static readonly string[] s_mobileSignatures =
    [
        "sent from my ", "sent from outlook", "sent from mail for windows", "sent from yahoo mail", "sent from samsung",
        "sent from gmail", "sent via ", "get outlook for ", "envoyé de mon ", "von meinem ", "gesendet von meinem ",
        "enviado desde mi ", "enviado do meu ", "inviato da ", "verzonden vanaf mijn ", "sent from proton mail",
        "أرسلت من", "أُرسلت من", "مرسل من", "تم الإرسال من", "ارسلت من",
    ];

    /// <summary>The new content of <paramref name="text"/> ("\n" line breaks, trimmed); "" only for blank input.</summary>
    public static string NewContent(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        string[] lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        int cut = FirstCut(lines);
        string trimmed = Join(lines.Take(cut).Where(line => !IsQuoted(line)));
        if (trimmed.Length > 0)
        {
            return trimmed;
        }
        // The person wrote below the quote (or wrote nothing): keep every line that is not quoted history.
        string unquoted = Join(lines.Where((line, i) => !IsQuoted(line) && !IsReplyHeader(lines, i)
            && !(i > 0 && IsReplyHeader(lines, i - 1) && !LooksLikeReplyHeader(Clean(lines[i - 1])))));
        return unquoted.Length > 0 ? unquoted : text.Trim();
    }

    private static int FirstCut(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            string line = Clean(lines[i]);
            if (IsQuoted(line))
            {
                continue;
            }
            if (IsForwardMarker(line))
            {
                return lines.Length; // what follows was forwarded on purpose
            }
            if (IsReplyHeader(lines, i) || IsOriginalMessage(line) || line == "--" || IsMobileSignature(line))
            {
                return i;
            }
            if (IsOutlookBlock(lines, i))
            {
                // Outlook web puts a line of underscores just above the block.
                return i > 0 && Clean(lines[i - 1]).StartsWith("____", StringComparison.Ordinal) ? i - 1 : i;
            }
        }
        return lines.Length;
    }

    /// <summary>"On ... wrote:" on one line or wrapped over two.</summary>
    private static bool IsReplyHeader(string[] lines, int i)
    {
        string line = Clean(lines[i]);
        if (LooksLikeReplyHeader(line))
        {
            return true;
        }
        return i + 1 < lines.Length && line.Length > 0 && !EndsWithWrote(line) && Clean(lines[i + 1]) is { Length: > 0 } next
            && LooksLikeReplyHeader(line + " " + next);
    }

    /// <summary>Ends with ":", says "wrote" (in any of its languages) and starts like a date or names an address.</summary>
    private static bool LooksLikeReplyHeader(string line) =>
        line.Length <= 300 && EndsWithWrote(line)
        && (s_replyStarts.Any(start => line.StartsWith(start, StringComparison.OrdinalIgnoreCase)) || line.Contains('@'));

    /// <summary>"... wrote:", "... a écrit :", and German's "... schrieb Name &lt;address&gt;:".</summary>
    private static bool EndsWithWrote(string line)
    {
        if (!line.EndsWith(':'))
        {
            return false;
        }
        string head = line.TrimEnd(':', ' ');
        if (s_wroteWords.Any(word => head.EndsWith(word, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        return head.EndsWith('>') && s_wroteWords.Any(word => head.Contains(" " + word + " ", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsOriginalMessage(string line)
    {
        if (!line.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }
        string inner = line.Trim('-', ' ', '_', '=');
        return s_originalMessage.Any(marker => inner.Equals(marker, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsForwardMarker(string line)
    {
        string inner = line.Trim('-', ' ', '_', '=', ':', '*');
        return inner.Length <= 40 && s_forwardMarkers.Any(marker => inner.Equals(marker, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A "From:" line followed within a few lines by "Sent:", "Date:", "To:" or "Subject:".</summary>
    private static bool IsOutlookBlock(string[] lines, int i)
    {
        string line = Unbold(Clean(lines[i]));
        if (!s_fromLabels.Any(label => line.StartsWith(label, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        for (int j = i + 1; j < lines.Length && j <= i + 4; j++)
        {
            string next = Unbold(Clean(lines[j]));
            if (s_sentLabels.Any(label => next.StartsWith(label, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsMobileSignature(string line) =>
        line.Length <= 80 && s_mobileSignatures.Any(start => line.StartsWith(start, StringComparison.OrdinalIgnoreCase));

    private static bool IsQuoted(string line) => line.TrimStart().StartsWith('>');

    /// <summary>Trims and drops the bidirectional marks Arabic and Hebrew clients wrap reply headers in.</summary>
    private static string Clean(string line)
    {
        if (line.AsSpan().IndexOfAny("\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069") < 0)
        {
            return line.Trim();
        }
        return string.Concat(line.Where(c => c is not ('\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))).Trim();
    }

    /// <summary>"*From:*" in text that a client made from bold HTML.</summary>
    private static string Unbold(string line) => line.Replace("*", "", StringComparison.Ordinal);

    private static string Join(IEnumerable<string> lines) => string.Join('\n', lines.Select(l => l.TrimEnd())).Trim('\n', ' ', '\t');
}
