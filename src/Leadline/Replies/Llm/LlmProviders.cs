namespace Leadline.Replies.Llm;

/// <summary>The engines a tenant can choose with its <c>engine</c> setting or the <c>LLM_PROVIDER</c> default.</summary>
public static class LlmProviders
{
    public const string Offline = "offline";
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";

    public static readonly string[] All = [Offline, OpenAi, Anthropic];
}
