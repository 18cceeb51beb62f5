namespace Leadline.Qualification.Engine;

/// <summary>The phrase-driven facts besides timeline and budget: emergencies, escalation, requests, decision maker, place, language.</summary>
internal static class Signals
{
    // How many words before a phrase a negation still reaches: "no need to call me", "I don't want to talk to anyone".
    private const int RequestNegationWindow = 4;
    private const int EmergencyNegationWindow = 2;

    /// <summary>A reported emergency; "do you handle burst pipes?" asks about the service and reports nothing.</summary>
    public static bool Emergency(MessageAnalysis a)
    {
        Hit? hit = a.FirstAsserted("emergency", EmergencyNegationWindow);
        if (hit is Hit h)
        {
            a.Cite("urgency", "high", h.Start, h.End);
        }
        return hit is not null;
    }

    /// <summary>A complaint outranks a request for a person: it also decides the score.</summary>
    public static EscalateReason? Escalation(MessageAnalysis a)
    {
        // Complaints ignore negations ("I never got my refund" is still one); their tables block "no complaints".
        if (a.FirstAsserted("complaint", negationWindow: -1) is Hit complaint)
        {
            a.Cite("escalate", EscalateReason.Complaint.ToCode(), complaint.Start, complaint.End);
            return EscalateReason.Complaint;
        }
        // "Do you have a real person I can talk to?" is a question and still a request.
        if (a.FirstAsserted("person", RequestNegationWindow, allowHypothetical: true) is Hit person)
        {
            a.Cite("escalate", EscalateReason.PersonRequested.ToCode(), person.Start, person.End);
            return EscalateReason.PersonRequested;
        }
        return null;
    }

    /// <summary>What the lead asks for that makes them warm: a quote, a visit, a viewing, a call...</summary>
    public static string? Request(MessageAnalysis a)
    {
        if (a.FirstAsserted("request", RequestNegationWindow, conditionals: false) is Hit h)
        {
            a.Cite("request", h.Key, h.Start, h.End);
            return h.Key;
        }
        return null;
    }

    /// <summary>True for "I'm the owner", false for "I need to check with my wife"; the doubt wins when both appear.</summary>
    public static bool? DecisionMaker(MessageAnalysis a)
    {
        Hit? chosen = null;
        foreach (Hit h in a.Find("decisionMaker"))
        {
            chosen ??= h;
            if (h.Key == "no")
            {
                chosen = h;
                break;
            }
        }
        if (chosen is not Hit c)
        {
            return null;
        }
        bool value = c.Key == "yes";
        a.Cite("decision_maker", value ? "true" : "false", c.Start, c.End);
        return value;
    }

    /// <summary>The place the lead names: "in Dammam", "في الخبر", "near Oak Park". Months, weekdays and the like are trimmed.</summary>
    public static string? Location(MessageAnalysis a)
    {
        foreach (Hit h in a.Find("location"))
        {
            var group = h.Match.Groups["place"];
            if (!group.Success)
            {
                continue;
            }
            int start = group.Index, end = group.Index + group.Length;
            // Drop words that are no place from the end ("Oak Park ASAP", "Dammam Monday"), then check the first one.
            while (end > start)
            {
                int space = a.Text.Text.LastIndexOf(' ', end - 1, end - start);
                int wordStart = space < start ? start : space + 1;
                if (!a.Words.IsNotPlace(TextFolding.Key(a.Text.Text.AsSpan(wordStart, end - wordStart))))
                {
                    break;
                }
                end = space < start ? start : space;
            }
            if (end <= start)
            {
                continue;
            }
            int firstEnd = a.Text.Text.IndexOf(' ', start, end - start) is int sp and >= 0 ? sp : end;
            if (a.Words.IsNotPlace(TextFolding.Key(a.Text.Text.AsSpan(start, firstEnd - start))))
            {
                continue;
            }
            string place = a.Text.Slice(start, end);
            a.Cite("location", place, h.Start, end);
            return place;
        }
        return null;
    }

    /// <summary>The language most letters belong to; the first table's (English) when none decides.</summary>
    public static string Language(MessageAnalysis a)
    {
        var languages = a.Book.Languages;
        if (languages.Count == 0)
        {
            return "en";
        }
        Span<int> counts = stackalloc int[languages.Count];
        foreach (char c in a.Text.Text)
        {
            int language = a.Book.LanguageOf(c);
            if (language >= 0)
            {
                counts[language]++;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.Length; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }
        return languages[best].Code;
    }
}
