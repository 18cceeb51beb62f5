using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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
            string key = a.Text.TokenKey(i);
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
            int firstToken = -1;
            bool specific = false;
            ServiceWord[] parts = Parts(service, words);
            foreach (ServiceWord part in parts)
            {
                if (stems.TryGetValue(part.Stem, out int token))
                {
                    score += part.Generic ? 0.5 : 1;
                    specific |= !part.Generic;
                    firstToken = firstToken < 0 ? token : Math.Min(firstToken, token);
                }
            }
            int total = parts.Length;
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

    private readonly record struct ServiceWord(string Stem, bool Generic);

    // Tenants name a handful of services each and every message of theirs is matched against them: stem them once
    // (per phrase book, as the stems depend on its synonyms).
    private static readonly ConditionalWeakTable<Words, ConcurrentDictionary<string, ServiceWord[]>> s_cache = new();
    private const int MaxCachedServices = 10_000;

    private static ServiceWord[] Parts(string service, Words words)
    {
        ConcurrentDictionary<string, ServiceWord[]> cache = s_cache.GetOrCreateValue(words);
        if (cache.TryGetValue(service, out ServiceWord[]? cached))
        {
            return cached;
        }
        ServiceWord[] parts = service.Split([' ', '-', '/', ',', '&', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => TextFolding.Key(part))
            .Where(key => !words.Stopwords.Contains(key))
            .Select(key => new ServiceWord(Stemmer.Stem(key, words), words.GenericServiceWords.Contains(key)))
            .ToArray();
        if (cache.Count >= MaxCachedServices)
        {
            cache.Clear();
        }
        cache[service] = parts;
        return parts;
    }
}
