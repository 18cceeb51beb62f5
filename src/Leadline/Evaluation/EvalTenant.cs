using System.Text.Json;
using System.Text.Json.Nodes;

namespace Leadline.Evaluation;

/// <summary>A tenant file of the evaluation set: settings, tone, services and FAQs of one business.</summary>
public sealed record EvalTenant(string Slug, string? BookingLink, string Currency, JsonObject Source)
{
    public static (List<EvalTenant> Tenants, List<string> Problems) LoadAll(string directory)
    {
        var tenants = new List<EvalTenant>();
        var problems = new List<string>();
        foreach (string file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                JsonObject json = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new FormatException("empty file");
                string slug = json["slug"]?.GetValue<string>() ?? throw new FormatException("'slug' is missing");
                tenants.Add(new EvalTenant(slug, json["booking_link"]?.GetValue<string>(), json["currency"]?.GetValue<string>() ?? "USD", json));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                problems.Add($"{Path.GetFileName(file)}: skipped, {e.Message}");
            }
        }
        return (tenants, problems);
    }

    /// <summary>The FAQ answers by id, for checking that a reply's numbers come from what it cites.</summary>
    public Dictionary<string, string> FaqTexts()
    {
        var texts = new Dictionary<string, string>();
        foreach (JsonNode? faq in Source["faqs"]?.AsArray() ?? [])
        {
            string? id = faq?["id"]?.GetValue<string>() ?? faq?["external_id"]?.GetValue<string>();
            if (id is null)
            {
                continue;
            }
            texts[id] = string.Join("\n", new[]
            {
                faq!["question"]?.GetValue<string>(), faq["answer"]?.GetValue<string>(),
                faq["translations"]?["ar"]?["question"]?.GetValue<string>(), faq["translations"]?["ar"]?["answer"]?.GetValue<string>(),
            }.Where(t => t is not null));
        }
        return texts;
    }

    public string Json(string name) => Source[name]?.ToJsonString() ?? "null";

    public static JsonSerializerOptions Options => Leadline.Json.Options;
}
