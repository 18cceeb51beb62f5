namespace Leadline.Qualification.Engine;

/// <summary>
/// Picks the tenant service whose stemmed words overlap the message most. Generic words ("service", "repair")
/// count half and cannot win alone; ties go to the service with the larger share of its words matched.
/// </summary>
internal static class ServiceMatcher
{
    public static string? Find(MessageAnalysis a)
    {
        if (a.Context.Services.Count == 0)
        {
            return null;
        }
        Words words = a.Words;
        var stems = new Dictionary<string, int>(); // stem → index of the first token with it
        for (int i = 0; i < a.Text.Tokens.Count; i++)
        {
            if (a.Text.Tokens[i].Kind != TokenKind.Word)
            {
                continue;
            }
            string key = TextFolding.Key(a.Text.TokenText(i));
            if (!words.Stopwords.Contains(key))
            {
                stems.TryAdd(Stemmer.Stem(key, words), i);
            }
        }
        string? best = null;
        double bestScore = 0, bestShare = 0;
        int bestToken = -1;
        foreach (string service in a.Context.Services)
        {
            double score = 0;
            int total = 0, firstToken = -1;
            bool specific = false;
            foreach (string part in service.Split([' ', '-', '/', ',', '&', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
            {
                string key = TextFolding.Key(part);
                if (words.Stopwords.Contains(key))
                {
                    continue;
                }
                total++;
                if (stems.TryGetValue(Stemmer.Stem(key, words), out int token))
                {
                    bool generic = words.GenericServiceWords.Contains(key);
                    score += generic ? 0.5 : 1;
                    specific |= !generic;
                    firstToken = firstToken < 0 ? token : Math.Min(firstToken, token);
                }
            }
            double share = total == 0 ? 0 : score / total;
            if (specific && (score > bestScore || (score == bestScore && share > bestShare)))
            {
                (best, bestScore, bestShare, bestToken) = (service, score, share, firstToken);
            }
        }
        if (best is not null)
        {
            Token t = a.Text.Tokens[bestToken];
            a.Cite("service", best, t.Start, t.End);
        }
        return best;
    }
}
