using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;
using OpenAiChatResponseFormat = OpenAI.Chat.ChatResponseFormat;

namespace Leadline.Replies.Llm;

/// <summary>
/// An <see cref="IChatClient"/> over the official OpenAI SDK's chat completions, for OpenAI and every server that
/// speaks its API (Ollama, vLLM, llama.cpp server). Only what the reply engine needs: text messages, temperature,
/// a token limit and JSON output; no tools, no streaming. The SDK's own retries are off: a failed call falls back
/// to the offline engine at once, and the job queue is the one retry mechanism.
/// </summary>
public sealed class OpenAiChatClient : IChatClient
{
    private readonly OpenAIClient _openAi;
    private readonly string _model;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;

    public OpenAiChatClient(string model, string? apiKey, Uri? baseUrl, TimeSpan timeout)
    {
        var options = new OpenAIClientOptions
        {
            NetworkTimeout = timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (baseUrl is not null)
        {
            options.Endpoint = baseUrl;
        }
        // Local servers (Ollama, llama.cpp) need no key, but the SDK wants one; they ignore it.
        _openAi = new OpenAIClient(new ApiKeyCredential(apiKey ?? "no-key"), options);
        _model = model;
        _metadata = new ChatClientMetadata("openai", baseUrl ?? new Uri("https://api.openai.com/v1"), model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            MaxOutputTokenCount = options?.MaxOutputTokens,
        };
        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            request.ResponseFormat = json.Schema is { } schema
                ? OpenAiChatResponseFormat.CreateJsonSchemaFormat(json.SchemaName ?? "reply", BinaryData.FromString(schema.GetRawText()),
                    json.SchemaDescription, jsonSchemaIsStrict: true)
                : OpenAiChatResponseFormat.CreateJsonObjectFormat();
        }
        else if (options?.ResponseFormat is ChatResponseFormatText)
        {
            request.ResponseFormat = OpenAiChatResponseFormat.CreateTextFormat();
        }

        // A tenant's routing may ask for another model than the instance default (ChatOptions.ModelId).
        string model = options?.ModelId is { Length: > 0 } chosen ? chosen : _model;
        ChatClient client = _clients.GetOrAdd(model, m => _openAi.GetChatClient(m));
        ChatCompletion completion = (await client.CompleteChatAsync(messages.Select(Convert), request, cancellationToken)).Value;
        string text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        var message = new AiChatMessage(ChatRole.Assistant, text);
        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            message.AdditionalProperties = new AdditionalPropertiesDictionary { ["refusal"] = completion.Refusal };
        }
        return new ChatResponse(message)
        {
            ModelId = completion.Model,
            ResponseId = completion.Id,
            FinishReason = completion.FinishReason switch
            {
                OpenAI.Chat.ChatFinishReason.Stop => Microsoft.Extensions.AI.ChatFinishReason.Stop,
                OpenAI.Chat.ChatFinishReason.Length => Microsoft.Extensions.AI.ChatFinishReason.Length,
                OpenAI.Chat.ChatFinishReason.ContentFilter => Microsoft.Extensions.AI.ChatFinishReason.ContentFilter,
                _ => Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
            },
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Replies are drafted whole; streaming is not used.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static OpenAiChatMessage Convert(AiChatMessage message) =>
        message.Role == ChatRole.System ? new SystemChatMessage(message.Text)
        : message.Role == ChatRole.Assistant ? new AssistantChatMessage(message.Text)
        : new UserChatMessage(message.Text);
}
