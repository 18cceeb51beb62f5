using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Leadline.Replies.Llm;

/// <summary>
/// OpenAI, or any server that speaks its API (Ollama, vLLM, llama.cpp server), as an <see cref="IChatClient"/>: the
/// official SDK's chat client through Microsoft.Extensions.AI. The SDK binds a chat client to one model and ignores
/// <see cref="ChatOptions.ModelId"/>, while a tenant's routing picks a model per reply (fast or strong), so this keeps
/// one SDK client per model and sends each call to the one it names.
/// </summary>
public sealed class OpenAiEngine : IChatClient
{
    private readonly OpenAIClient _openAi;
    private readonly string _model;
    private readonly ConcurrentDictionary<string, IChatClient> _byModel = new(StringComparer.Ordinal);

    public OpenAiEngine(string model, string? apiKey, Uri? baseUrl, TimeSpan timeout)
    {
        var options = new OpenAIClientOptions
        {
            // The reply job's deadline (LLM_TIMEOUT_MS) cancels the call; the SDK's own limit only backs it up.
            NetworkTimeout = timeout + TimeSpan.FromSeconds(1),
            // No retries in the SDK: a failed call falls back to the offline engine at once, and the job queue is
            // the one retry mechanism (a retried 429 would also only make the provider's limit worse).
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (baseUrl is not null)
        {
            options.Endpoint = baseUrl;
        }
        // Local servers (Ollama, llama.cpp) need no key, but the SDK wants one; they ignore it.
        _openAi = new OpenAIClient(new ApiKeyCredential(apiKey ?? "no-key"), options);
        _model = model;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        For(options).GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : For(null).GetService(serviceType, serviceKey);

    public void Dispose()
    {
        foreach (IChatClient client in _byModel.Values)
        {
            client.Dispose();
        }
    }

    private IChatClient For(ChatOptions? options) =>
        _byModel.GetOrAdd(options?.ModelId is { Length: > 0 } chosen ? chosen : _model,
            m => _openAi.GetChatClient(m).AsIChatClient());
}
