using System.Text.RegularExpressions;

namespace Leadline.Knowledge;

/// <summary>The body of <c>POST /v1/admin/faqs</c> and <c>PUT /v1/admin/faqs/{id}</c>; on PUT absent fields stay unchanged.</summary>
public sealed record FaqRequest(
    string? Question, string? Answer, List<string>? Tags, Dictionary<string, FaqTextRequest?>? Translations, string? ExternalId);

public sealed record FaqTextRequest(string? Question, string? Answer);

/// <summary>
/// The body of <c>POST /v1/admin/faqs/import</c>. <c>id</c> is accepted as the external id when it is not one of our
/// GUIDs, so a tenant file such as <c>{"id": "hours", "question": ...}</c> imports as it is.
/// </summary>
public sealed record FaqImportItem(
    string? Id, string? Question, string? Answer, List<string>? Tags, Dictionary<string, FaqTextRequest?>? Translations, string? ExternalId)
{
    public FaqRequest ToRequest() => new(Question, Answer, Tags, Translations, ExternalId ?? (Guid.TryParse(Id, out _) ? null : Id));

    public Guid? OurId => Guid.TryParse(Id, out Guid id) ? id : null;
}

public sealed record FaqImportRequest(List<FaqImportItem?>? Faqs, bool? Replace);

public static partial class FaqValidation
{
    public const int MaxQuestion = 500;
    public const int MaxAnswer = 2000;
    public const int MaxTags = 20;
    public const int MaxImport = 1000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguagePattern();

    /// <summary>
    /// Checks a request and applies it to <paramref name="current"/> (null when creating). Errors are keyed by JSON
    /// path with <paramref name="prefix"/> in front ("faqs[3].question" in an import).
    /// </summary>
    public static FaqView? Apply(FaqRequest body, FaqView? current, Dictionary<string, string[]> errors, string prefix, DateTimeOffset now)
    {
        int before = errors.Count;
        bool creating = current is null;
        string? question = Text(errors, prefix + "question", body.Question, MaxQuestion, required: creating);
        string? answer = Text(errors, prefix + "answer", body.Answer, MaxAnswer, required: creating);

        List<string>? tags = null;
        if (body.Tags is not null)
        {
            if (body.Tags.Count > MaxTags)
            {
                errors[prefix + "tags"] = [$"At most {MaxTags} tags."];
            }
            for (int i = 0; i < body.Tags.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(body.Tags[i]) || body.Tags[i].Trim().Length > 50)
                {
                    errors[$"{prefix}tags[{i}]"] = ["A tag is 1 to 50 characters, e.g. \"pricing\"."];
                }
            }
            tags = body.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList();
        }

        Dictionary<string, FaqText>? translations = null;
        if (body.Translations is not null)
        {
            translations = [];
            foreach (var (language, text) in body.Translations)
            {
                string field = $"{prefix}translations.{language}";
                if (!LanguagePattern().IsMatch(language))
                {
                    errors[field] = [$"'{language}' is not a two-letter lower-case language code such as \"ar\"."];
                    continue;
                }
                string? q = Text(errors, field + ".question", text?.Question, MaxQuestion, required: true);
                string? a = Text(errors, field + ".answer", text?.Answer, MaxAnswer, required: true);
                if (q is not null && a is not null)
                {
                    translations[language] = new FaqText(q, a);
                }
            }
        }

        string? externalId = body.ExternalId?.Trim();
        if (externalId is { Length: > 0 } && !ExternalIdPattern().IsMatch(externalId))
        {
            errors[prefix + "external_id"] = ["Use 1-100 letters, digits, '_', '-', '.' or ':' starting with a letter or digit, e.g. \"hours\"."];
        }
        else if (externalId is { Length: > 0 } && Guid.TryParse(externalId, out _))
        {
            errors[prefix + "external_id"] = ["An external id cannot be a GUID (those are our ids); use a name such as \"hours\"."];
        }

        if (errors.Count > before)
        {
            return null;
        }
        return new FaqView(
            current?.Id ?? Guid.CreateVersion7(),
            body.ExternalId is null ? current?.ExternalId : externalId is { Length: > 0 } ? externalId : null,
            question ?? current!.Question,
            answer ?? current!.Answer,
            tags ?? current?.Tags ?? [],
            translations ?? current?.Translations ?? [],
            current?.CreatedAt ?? now,
            now);
    }

    private static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors[field] = ["This field is required."];
            }
            return null;
        }
        string trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            errors[field] = ["This field cannot be empty."];
            return null;
        }
        if (trimmed.Length > max)
        {
            errors[field] = [$"At most {max} characters (got {trimmed.Length})."];
            return null;
        }
        return trimmed;
    }
}
