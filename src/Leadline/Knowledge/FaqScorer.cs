namespace Leadline.Knowledge;

/// <summary>
/// The deterministic re-score behind <see cref="FaqSearch"/>: an IDF-weighted overlap of content terms between a
/// message and each FAQ, computed the same way whatever database found the candidates, so both rank alike.
/// </summary>
/// <remarks>
/// Confidence = 0.65 × question coverage + 0.35 × message coverage, where question coverage is the share of the
/// FAQ question's term weight that the message contains (tags it names count as question words), and message coverage is the share of
/// the message's term weight found anywhere in the FAQ. Question words weigh more because a FAQ question states
/// what the FAQ is about, while its answer mentions many things in passing. Each translation is scored on its
/// own and the best language counts, so adding an Arabic translation never lowers an English match.
/// </remarks>
public static class FaqScorer
{
    private const double QuestionWeight = 0.65;
    private const double MessageWeight = 0.35;

    /// <summary>The weight of a message word that no FAQ of the tenant contains, relative to its IDF.</summary>
    private const double UnknownWordWeight = 1.0;

    /// <summary>Added when a concept known from outside the words (a reported emergency) is what the FAQ question is about.</summary>
    private const double HintBonus = 0.2;

    private sealed record Variant(HashSet<string> Question, HashSet<string> Tags, HashSet<string> All);

    private sealed record Candidate(Faq Faq, List<Variant> Variants, HashSet<string> Terms);

    /// <summary>
    /// Ranks <paramref name="faqs"/> for <paramref name="message"/>, best first; FAQs sharing no term are left out.
    /// <paramref name="totalFaqs"/> is the size of the tenant's whole FAQ set (the candidates may be a part of it).
    /// </summary>
    /// <remarks>
    /// <paramref name="concepts"/> are concepts known about the message from elsewhere (a reported emergency, a
    /// request for a viewing: see <see cref="MessageConcepts"/>); they count as terms of the message.
    /// </remarks>
    public static IReadOnlyList<FaqMatch> Rank(string message, IEnumerable<Faq> faqs, int totalFaqs, int limit = 5,
        IReadOnlyCollection<string>? concepts = null)
    {
        var analyzed = faqs.Select(Analyze).ToList();
        var vocabulary = new HashSet<string>(analyzed.SelectMany(c => c.Terms), StringComparer.Ordinal);
        HashSet<string> asked = Terms.Analyze(message, vocabulary);
        var hints = new HashSet<string>(concepts?.Where(Terms.IsConcept) ?? [], StringComparer.Ordinal);
        asked.UnionWith(hints);
        if (asked.Count == 0)
        {
            return [];
        }
        // Only FAQs sharing a term take part, so the result does not depend on which extra rows an index returned.
        var candidates = analyzed.Where(c => c.Terms.Overlaps(asked)).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        // Every FAQ holding a message term is a candidate, so these document frequencies are exact for message terms.
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string term in candidates.SelectMany(c => c.Terms))
        {
            documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }
        int n = Math.Max(totalFaqs, candidates.Count);
        double Idf(string term)
        {
            int df = documentFrequency.GetValueOrDefault(term);
            return Math.Log(1 + (n - df + 0.5) / (df + 0.5));
        }

        // A word no FAQ of the tenant uses still marks a message as being about something else, but at half weight,
        // so the name of a street or a conference next to a clear question does not drown it.
        double askedWeight = asked.Sum(t => Idf(t) * (documentFrequency.ContainsKey(t) ? 1 : UnknownWordWeight));
        return candidates
            .Select(c => (c.Faq, Score: c.Variants.Max(v => Score(v, asked, askedWeight, Idf, hints))))
            .OrderByDescending(m => m.Score)
            .ThenBy(m => m.Faq.ExternalId ?? "\uffff", StringComparer.Ordinal)
            .ThenBy(m => m.Faq.Question, StringComparer.Ordinal)
            .ThenBy(m => m.Faq.Id)
            .Take(limit)
            .Select(m => new FaqMatch(m.Faq, m.Score))
            .ToList();
    }

    private static double Score(Variant v, HashSet<string> asked, double askedWeight, Func<string, double> idf, HashSet<string> hints)
    {
        // A tag the message names counts as part of the question; a tag it does not name costs nothing, so tags
        // can only help a FAQ be found.
        double tagsCovered = v.Tags.Where(t => asked.Contains(t) && !v.Question.Contains(t)).Sum(idf);
        double questionWeight = v.Question.Sum(idf) + tagsCovered;
        double questionCovered = v.Question.Where(asked.Contains).Sum(idf) + tagsCovered;
        double messageCovered = asked.Where(v.All.Contains).Sum(idf);
        double questionCoverage = questionWeight > 0 ? questionCovered / questionWeight : 0;
        double messageCoverage = askedWeight > 0 ? messageCovered / askedWeight : 0;
        double score = QuestionWeight * questionCoverage + MessageWeight * messageCoverage;
        if (hints.Overlaps(v.Question) || hints.Overlaps(v.Tags))
        {
            score += HintBonus;
        }
        // Rounded so that sums taken in a different order can never swap two FAQs.
        return Math.Round(Math.Clamp(score, 0, 1), 6);
    }

    private static Candidate Analyze(Faq faq)
    {
        var variants = new List<Variant> { MakeVariant(faq.Question, faq.Answer, faq.Tags) };
        foreach (FaqText text in faq.Translations.Values)
        {
            variants.Add(MakeVariant(text.Question, text.Answer, faq.Tags));
        }
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (Variant v in variants)
        {
            all.UnionWith(v.All);
        }
        return new Candidate(faq, variants, all);
    }

    private static Variant MakeVariant(string question, string answer, IReadOnlyList<string> tags)
    {
        HashSet<string> q = Terms.Analyze(question);
        var tagTerms = new HashSet<string>(StringComparer.Ordinal);
        foreach (string tag in tags)
        {
            tagTerms.UnionWith(Terms.Analyze(tag));
        }
        var all = new HashSet<string>(q, StringComparer.Ordinal);
        all.UnionWith(tagTerms);
        all.UnionWith(Terms.Analyze(answer));
        if (Terms.MentionsMoney(answer))
        {
            all.Add(Terms.PriceConcept);
        }
        return new Variant(q, tagTerms, all);
    }
}
