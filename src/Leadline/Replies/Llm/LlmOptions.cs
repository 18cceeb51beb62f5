using Leadline.Hosting;

namespace Leadline.Replies.Llm;

/// <summary>The model providers: OPENAI_*, ANTHROPIC_*, LLM_PROVIDER and LLM_TIMEOUT_MS.</summary>
public sealed record LlmOptions
{
    public string? OpenAiApiKey { get; init; }

    /// <summary>Any OpenAI-compatible server: OpenAI itself, Ollama (http://127.0.0.1:11434/v1), vLLM, llama.cpp server.</summary>
    public Uri? OpenAiBaseUrl { get; init; }
    public string OpenAiModel { get; init; } = "gpt-4o-mini";
    public string? AnthropicApiKey { get; init; }
    public Uri? AnthropicBaseUrl { get; init; }
    public string AnthropicModel { get; init; } = "claude-haiku-4-5";

    /// <summary>The engine of tenants that chose none: offline, openai or anthropic (default: a provider with a key, else offline).</summary>
    public string? LlmProvider { get; init; }

    /// <summary>A model slower than this is not waited for: the offline engine answers.</summary>
    public TimeSpan LlmTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The model and endpoint an engine uses, as configured; null for the offline engine.</summary>
    public (string Model, Uri Endpoint)? Endpoint(string engine) => engine switch
    {
        LlmProviders.OpenAi => (OpenAiModel, OpenAiBaseUrl ?? new Uri("https://api.openai.com/v1")),
        LlmProviders.Anthropic => (AnthropicModel, AnthropicBaseUrl ?? new Uri("https://api.anthropic.com")),
        _ => null,
    };

    public static LlmOptions From(IConfiguration config)
    {
        var options = new LlmOptions
        {
            OpenAiApiKey = config.Text("OPENAI_API_KEY"),
            OpenAiBaseUrl = config.HttpUrl("OPENAI_BASE_URL"),
            OpenAiModel = config.Text("OPENAI_MODEL") ?? "gpt-4o-mini",
            AnthropicApiKey = config.Text("ANTHROPIC_API_KEY"),
            AnthropicBaseUrl = config.HttpUrl("ANTHROPIC_BASE_URL"),
            AnthropicModel = config.Text("ANTHROPIC_MODEL") ?? "claude-haiku-4-5",
            LlmProvider = config.OneOf("LLM_PROVIDER", [.. LlmProviders.All]),
            LlmTimeout = config.Milliseconds("LLM_TIMEOUT_MS", 8000, 100, 120_000),
        };
        if (options.LlmProvider == LlmProviders.OpenAi && options.OpenAiApiKey is null && options.OpenAiBaseUrl is null)
        {
            throw new ConfigException("LLM_PROVIDER", "is openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set");
        }
        if (options.LlmProvider == LlmProviders.Anthropic && options.AnthropicApiKey is null)
        {
            throw new ConfigException("LLM_PROVIDER", "is anthropic but ANTHROPIC_API_KEY is not set");
        }
        return options;
    }
}
