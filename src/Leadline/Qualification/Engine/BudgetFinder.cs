namespace Leadline.Qualification.Engine;

/// <summary>
/// Decides which amount, if any, is what the lead can spend. An amount counts when a budget cue is near it
/// ("budget", "afford", "ميزانيتي") or when a qualifier ("around", "up to", "between") and a money marker
/// (currency, k/m, "a month") both touch it. A nearer cue of a price from elsewhere or a price asked about
/// ("they quoted", "I paid", "is it") cancels it; so do quantities, dates and times.
/// </summary>
internal static class BudgetFinder
{
    private const int CueWindowBefore = 8;
    private const int CueWindowAfter = 3;

    public static Budget? Find(MessageAnalysis a)
    {
        List<Amount> amounts = AmountScanner.Scan(a);
        if (amounts.Count == 0)
        {
            return null;
        }
        List<Hit> cues = a.Find("budget");
        List<Hit> qualifiers = a.Find("budgetQualifier");
        List<Hit> joins = a.Find("budgetRange");
        List<Hit> quantities = a.Find("budgetQuantity");
        List<Hit> periods = a.Find("budgetPeriod");
        for (int i = 0; i < amounts.Count; i++)
        {
            Amount first = amounts[i];
            Amount last = first;
            Hit? qualifier = QualifierBefore(a, qualifiers, first.Start);
            string? join = i + 1 < amounts.Count ? JoinBetween(a, joins, first, amounts[i + 1]) : null;
            if (join == "join" || (join == "and" && qualifier?.Key == "between"))
            {
                last = amounts[++i];
            }
            bool range = !ReferenceEquals(first, last);
            if (IsNotMoney(a, quantities, first) || IsNotMoney(a, quantities, last))
            {
                continue;
            }
            qualifier ??= QualifierAfter(a, qualifiers, last.End);
            bool marker = first.Currency is not null || last.Currency is not null || last.Scaled
                || periods.Exists(p => p.Start >= last.End && a.Text.WordsBetween(last.End, p.Start) <= 1);
            (Hit? cue, bool vetoed) = Cue(a, cues, first.Start, last.End);
            if (vetoed || (cue is null && !((qualifier is not null || range) && marker)))
            {
                continue;
            }
            decimal low = first.Value, high = last.Value;
            if (range && !first.Scaled && last.Scaled)
            {
                // "3 to 5k": the unit on the second number applies to the first.
                decimal scale = low * last.Scale <= high ? last.Scale : low * 1000 <= high ? 1000 : 1;
                low *= scale;
            }
            (low, high) = (Normalize(low), Normalize(high));
            string currency = Currency(first.Currency ?? last.Currency, a.Context.TenantCurrency);
            Budget budget = range ? new Budget(Math.Min(low, high), Math.Max(low, high), currency) : (qualifier?.Key) switch
            {
                "max" => new Budget(null, high, currency),
                "min" or "from" => new Budget(low, null, currency),
                _ => new Budget(low, high, currency),
            };
            int citeStart = Math.Min(first.Start, Math.Min(qualifier?.Start ?? int.MaxValue, cue is Hit c && c.Start < first.Start ? c.Start : int.MaxValue));
            int citeEnd = Math.Max(last.End, Math.Max(qualifier?.End ?? 0, cue?.End ?? 0));
            a.Cite("budget", Describe(budget), citeStart, citeEnd);
            return budget;
        }
        return null;
    }

    /// <summary>The nearest budget cue; vetoed when a "not" cue (a quote, a price paid or asked about) is nearer.</summary>
    private static (Hit? Cue, bool Vetoed) Cue(MessageAnalysis a, List<Hit> cues, int start, int end)
    {
        Hit? best = null;
        int bestDistance = int.MaxValue;
        bool not = false;
        foreach (Hit h in cues)
        {
            int distance;
            if (h.End <= start && h.Key is "cue" or "not" && a.Text.SameClause(h.Start, start))
            {
                distance = a.Text.WordsBetween(h.End, start);
                if (distance > CueWindowBefore)
                {
                    continue;
                }
            }
            else if (h.Start >= end && h.Key is "cue" or "cueAfter" or "notAfter" && a.Text.SameClause(end, h.Start))
            {
                distance = a.Text.WordsBetween(end, h.Start);
                if (distance > CueWindowAfter)
                {
                    continue;
                }
                if (h.Key == "notAfter")
                {
                    return (null, true); // "$300 last time" is a past price, whatever cue came before
                }
            }
            else
            {
                continue;
            }
            if (distance < bestDistance)
            {
                (best, bestDistance, not) = (h, distance, h.Key == "not");
            }
        }
        return not ? (null, true) : (best, false);
    }

    // The table keeps "...After" lists for words that only follow an amount ("or less", "ish"); where a word
    // stands decides, so a shared word like "max" counts on either side whatever list found it.
    private static Hit? QualifierBefore(MessageAnalysis a, List<Hit> qualifiers, int start)
    {
        Hit? best = null;
        foreach (Hit h in qualifiers)
        {
            if (h.End <= start && a.Text.SameClause(h.Start, start) && a.Text.WordsBetween(h.End, start) <= 1)
            {
                best = h; // the last one before the amount is the nearest
            }
        }
        return best is Hit b ? b with { Key = Plain(b.Key) } : null;
    }

    private static Hit? QualifierAfter(MessageAnalysis a, List<Hit> qualifiers, int end)
    {
        foreach (Hit h in qualifiers)
        {
            if (h.Start >= end && a.Text.SameClause(end, h.Start) && a.Text.WordsBetween(end, h.Start) <= 1)
            {
                return h with { Key = Plain(h.Key) };
            }
        }
        return null;
    }

    private static string Plain(string key) => key.EndsWith("After", StringComparison.Ordinal) ? key[..^"After".Length] : key;

    /// <summary>"join" for "-", "to", "الى"; "and" for "and"/"و", a range only after "between".</summary>
    private static string? JoinBetween(MessageAnalysis a, List<Hit> joins, Amount left, Amount right)
    {
        string gap = a.Text.Text[left.End..right.Start];
        if (string.IsNullOrWhiteSpace(gap))
        {
            return right.LeadingAnd ? "and" : null;
        }
        // "٣٠٠ و٤٠٠ ألف": the Arabic "and" touches the next number, so no phrase boundary follows it.
        if (a.Words.And.Contains(TextFolding.Key(gap)))
        {
            return "and";
        }
        foreach (Hit h in joins)
        {
            if (h.Start >= left.End && h.End <= right.Start
                && string.IsNullOrWhiteSpace(a.Text.Text[left.End..h.Start]) && string.IsNullOrWhiteSpace(a.Text.Text[h.End..right.Start]))
            {
                return h.Key;
            }
        }
        return null;
    }

    /// <summary>People, rooms, weeks, percentages, times and dates touching a number without a currency.</summary>
    private static bool IsNotMoney(MessageAnalysis a, List<Hit> quantities, Amount amount)
    {
        if (amount.Currency is not null)
        {
            return false;
        }
        string t = a.Text.Text;
        foreach (Hit h in quantities)
        {
            bool after = h.Key == "after" && h.Start >= amount.End && IsGap(t, amount.End, h.Start);
            bool before = h.Key == "before" && h.End <= amount.Start && IsGap(t, h.End, amount.Start);
            if (after || before)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsGap(string t, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(t[i]) && t[i] != '-')
            {
                return false;
            }
        }
        return to - from <= 3;
    }

    /// <summary>The tenant's currency when the form allows it ("$" for a CAD tenant, "ريال" for QAR), else the form's first.</summary>
    private static string Currency(string[]? codes, string tenantCurrency) =>
        codes is null || codes.Length == 0 ? tenantCurrency
        : Array.IndexOf(codes, tenantCurrency) >= 0 ? tenantCurrency : codes[0];

    // 0.5m * 1000000 is 500000.0; dividing by 1.000... drops the trailing zeros, so budgets print as people write them.
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    private static string Describe(Budget b) =>
        $"{b.Min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}..{b.Max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""} {b.Currency}";
}
