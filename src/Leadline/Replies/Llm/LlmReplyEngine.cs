using System.ClientModel;
using System.Net;
using System.Text.Json;
using Anthropic.Exceptions;
using Leadline.Knowledge;
using Microsoft.Extensions.AI;

namespace Leadline.Replies.Llm;

/// <summary>
/// Drafts replies with a language model behind <see cref="IChatClient"/>: the prompt of <see cref="ReplyPrompt"/>,
/// low temperature, JSON output validated field by field. Invalid output is asked for once more, then the draft
/// fails with <see cref="LlmFailure"/>, as does every provider error and a timeout, and the reply job answers with
/// the offline engine instead. Whatever the model writes still goes through the guardrails.
/// </summary>
public sealed class LlmReplyEngine(IChatClient client, string provider, string model, TimeSpan timeout, bool sendSchema) : IReplyEngine
{
    public const float Temperature = 0.2f;
    public const int MaxOutputTokens = 800;

    public string Name => provider;

    public async Task<ReplyDraft> DraftAsync(ReplyContext context, CancellationToken ct)
    {
        string language = context.Language ?? TextLanguage.Detect(context.InboundText);
        var (system, user) = ReplyPrompt.Build(context, language);
        var (chosenModel, route) = ModelRouting.Choose(context, model);
        var messages = new List<ChatMessage> { new(ChatRole.System, system), new(ChatRole.User, user) };
        var options = new ChatOptions
        {
            ModelId = chosenModel,
            Temperature = Temperature,
            MaxOutputTokens = MaxOutputTokens,
            ResponseFormat = sendSchema ? ChatResponseFormat.ForJsonSchema(ReplyPrompt.Schema, "lead_reply") : ChatResponseFormat.Json,
        };
        var responses = new List<string>();
        TokenUsage usage = TokenUsage.None;
        ModelTrace Trace() => new(provider, chosenModel, system, user, responses.ToList()) { Route = route, Usage = usage };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        for (int attempt = 1; ; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, options, deadline.Token);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not LlmFailure)
            {
                throw Classify(e, Trace());
            }
            string raw = response.Text;
            responses.Add(raw);
            if (response.Usage is { } u)
            {
                usage = usage.Plus(new TokenUsage(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0));
            }
            // Microsoft.Extensions.AI's OpenAI adapter turns the model's refusal field into an ErrorContent.
            if (response.FinishReason == ChatFinishReason.ContentFilter
                || response.Messages.Any(m => m.Contents.OfType<ErrorContent>().Any()))
            {
                throw new LlmFailure("refusal", "the model declined to answer", trace: Trace());
            }

            var (parsed, problem) = ModelReply.Parse(raw, context.Snippets.Select(s => s.Faq.Reference).ToHashSet(StringComparer.Ordinal));
            if (parsed is not null)
            {
                return new ReplyDraft(parsed.Reply, parsed.Language ?? language, parsed.Confidence, parsed.SnippetIds,
                    Fallback: false, provider)
                {
                    EscalateReason = parsed.Escalate ? parsed.EscalateReason ?? "model" : null,
                    Usage = usage,
                    Trace = Trace(),
                };
            }
            if (attempt == 2)
            {
                throw new LlmFailure("invalid_output", problem!, trace: Trace()) { };
            }
            messages.Add(new ChatMessage(ChatRole.Assistant, raw));
            messages.Add(new ChatMessage(ChatRole.User,
                $"That answer was not usable: {problem}. Answer again with only the JSON object, following every rule."));
        }
    }

    private LlmFailure Classify(Exception e, ModelTrace trace)
    {
        switch (e)
        {
            case OperationCanceledException:
                return new LlmFailure("timeout", $"no answer within {timeout.TotalSeconds:0.#} s", e, trace);
            case ClientResultException { Status: 429 } rate:
                return new LlmFailure("rate_limited", "the provider answered 429", e, trace) { RetryAfter = RetryAfter(rate) };
            case ClientResultException { Status: >= 500 } server:
                return new LlmFailure("server_error", $"the provider answered {server.Status}", e, trace);
            case ClientResultException { Status: 0 } unreachable:
                return new LlmFailure("unreachable", unreachable.Message, e, trace);
            case ClientResultException client:
                return new LlmFailure("http_error", $"the provider answered {client.Status}", e, trace);
            case AnthropicRateLimitException:
                return new LlmFailure("rate_limited", "the provider answered 429", e, trace);
            case Anthropic5xxException server:
                return new LlmFailure("server_error", $"the provider answered {(int)server.StatusCode}", e, trace);
            case AnthropicApiException client:
                return new LlmFailure("http_error", $"the provider answered {(int)client.StatusCode}", e, trace);
            case AnthropicIOException or HttpRequestException:
                return new LlmFailure("unreachable", e.Message, e, trace);
            case JsonException or AnthropicInvalidDataException:
                return new LlmFailure("invalid_output", "the provider's response could not be read", e, trace);
            default:
                return new LlmFailure("error", e.GetType().Name + ": " + e.Message, e, trace);
        }
    }

    private static TimeSpan? RetryAfter(ClientResultException e) =>
        e.GetRawResponse()?.Headers.TryGetValue("Retry-After", out string? value) == true ? Jobs.RetryAfter.Parse(value, DateTimeOffset.UtcNow) : null;
}

/// <summary>A model's answer, read and checked: see <see cref="ReplyPrompt.Schema"/>.</summary>
public sealed record ModelReply(string Reply, string? Language, double Confidence, IReadOnlyList<string> SnippetIds, bool Escalate, string? EscalateReason)
{
    public const int MaxReplyLength = 5000;

    /// <summary>The reply in <paramref name="raw"/>, or why there is none (a person-readable problem sent back to the model).</summary>
    public static (ModelReply? Reply, string? Problem) Parse(string raw, IReadOnlySet<string> snippetIds)
    {
        string text = raw.Trim();
        // Some servers wrap JSON in a Markdown fence despite being asked not to.
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            int start = text.IndexOf('\n');
            int end = text.LastIndexOf("```", StringComparison.Ordinal);
            text = start > 0 && end > start ? text[(start + 1)..end].Trim() : text;
        }
        JsonElement root;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, "it was not valid JSON");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "it was not a JSON object");
        }
        if (!root.TryGetProperty("reply", out JsonElement reply) || reply.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(reply.GetString()))
        {
            return (null, "\"reply\" must be a non-empty string");
        }
        if (reply.GetString()!.Length > MaxReplyLength)
        {
            return (null, $"\"reply\" is longer than {MaxReplyLength} characters");
        }
        if (!root.TryGetProperty("confidence", out JsonElement confidence) || confidence.ValueKind != JsonValueKind.Number
            || confidence.GetDouble() is < 0 or > 1 or double.NaN)
        {
            return (null, "\"confidence\" must be a number from 0 to 1");
        }
        var ids = new List<string>();
        if (root.TryGetProperty("snippet_ids", out JsonElement idArray) && idArray.ValueKind != JsonValueKind.Null)
        {
            if (idArray.ValueKind != JsonValueKind.Array || idArray.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
            {
                return (null, "\"snippet_ids\" must be an array of snippet ids");
            }
            ids = idArray.EnumerateArray().Select(i => i.GetString()!).Distinct().ToList();
            if (ids.FirstOrDefault(id => !snippetIds.Contains(id)) is { } unknown)
            {
                return (null, $"\"snippet_ids\" names '{unknown}', which is not one of the snippets");
            }
        }
        string? language = root.TryGetProperty("language", out JsonElement lang) && lang.ValueKind == JsonValueKind.String
            && lang.GetString() is { Length: 2 } code ? code.ToLowerInvariant() : null;
        bool escalate = root.TryGetProperty("escalate", out JsonElement esc) && esc.ValueKind == JsonValueKind.True;
        string? reason = root.TryGetProperty("escalate_reason", out JsonElement why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
        return (new ModelReply(reply.GetString()!.Trim(), language, confidence.GetDouble(), ids, escalate, reason), null);
    }
}
