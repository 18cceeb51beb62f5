using Anthropic;
using Anthropic.Core;
using Leadline.Tenants;
using Microsoft.Extensions.AI;

namespace Leadline.Replies.Llm;

/// <summary>
/// Picks each tenant's reply engine: its <c>engine</c> setting, else <c>LLM_PROVIDER</c>, else a provider whose key
/// is set (OpenAI first), else the offline engine; a provider without its settings is never chosen. The LLM
/// engines are built once and shared.
/// </summary>
public sealed class ReplyEngines
{
    private readonly Dictionary<string, IReplyEngine> _engines = new(StringComparer.Ordinal);
    private readonly string _default;

    public ReplyEngines(OfflineReplyEngine offline, LlmOptions options)
    {
        Offline = offline;
        _engines[LlmProviders.Offline] = offline;
        if (options.OpenAiApiKey is not null || options.OpenAiBaseUrl is not null)
        {
            IChatClient chat = new OpenAiEngine(options.OpenAiModel, options.OpenAiApiKey, options.OpenAiBaseUrl, options.LlmTimeout);
            _engines[LlmProviders.OpenAi] = new LlmReplyEngine(chat, LlmProviders.OpenAi, options.OpenAiModel, options.LlmTimeout, sendSchema: true);
        }
        if (options.AnthropicApiKey is not null)
        {
            var client = new AnthropicClient(new ClientOptions
            {
                ApiKey = options.AnthropicApiKey,
                BaseUrl = options.AnthropicBaseUrl?.ToString().TrimEnd('/') ?? "https://api.anthropic.com",
                Timeout = options.LlmTimeout,
                MaxRetries = 0,
            });
            IChatClient chat = client.AsIChatClient(options.AnthropicModel, LlmReplyEngine.MaxOutputTokens);
            // Anthropic's structured output is a beta for some models only; the prompt asks for the JSON instead.
            _engines[LlmProviders.Anthropic] = new LlmReplyEngine(chat, LlmProviders.Anthropic, options.AnthropicModel, options.LlmTimeout, sendSchema: false);
        }
        _default = options.LlmProvider is { } chosen && _engines.ContainsKey(chosen) ? chosen
            : _engines.ContainsKey(LlmProviders.OpenAi) ? LlmProviders.OpenAi
            : _engines.ContainsKey(LlmProviders.Anthropic) ? LlmProviders.Anthropic
            : LlmProviders.Offline;
    }

    public OfflineReplyEngine Offline { get; }

    /// <summary>The engines that can be chosen on this instance (those whose provider is configured).</summary>
    public IReadOnlyCollection<string> Available => _engines.Keys;

    public IReplyEngine For(Tenant tenant) =>
        tenant.Settings.Engine is { } wanted && _engines.TryGetValue(wanted, out IReplyEngine? engine) ? engine : _engines[_default];
}
