namespace Leadline.Knowledge;

/// <summary>One question and answer a tenant gave us, with optional translations keyed by language code ("ar").</summary>
public sealed record Faq(
    Guid Id,
    string? ExternalId,
    string Question,
    string Answer,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, FaqText> Translations)
{
    /// <summary>How replies and the audit trail name this FAQ: the tenant's own id when it chose one, else ours.</summary>
    public string Reference => ExternalId ?? Id.ToString();

    /// <summary>The question and answer in <paramref name="language"/> when a translation exists, else the original.</summary>
    public FaqText In(string language) =>
        Translations.TryGetValue(language, out FaqText? text) ? text : new FaqText(Question, Answer);
}

public sealed record FaqText(string Question, string Answer);

/// <summary>An FAQ with the retrieval confidence, in [0, 1], that it answers a message.</summary>
public sealed record FaqMatch(Faq Faq, double Confidence);
