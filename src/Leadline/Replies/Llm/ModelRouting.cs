namespace Leadline.Replies.Llm;

/// <summary>
/// Which model drafts a reply: the tenant's fast model (setting <c>fast_model</c>) for a short, simple message, its
/// strong model (setting <c>model</c>, else the provider's configured model) for everything else. Simple means: at
/// most <c>fast_max_chars</c> characters, at most one question, on one of the first two turns of the conversation.
/// A long thread or several questions need the stronger model's reading even when the last message is short.
/// </summary>
public static class ModelRouting
{
    public const string Fast = "fast";
    public const string Strong = "strong";

    public static (string Model, string Route) Choose(ReplyContext context, string providerModel)
    {
        var settings = context.Tenant.Settings;
        string strong = settings.Model ?? providerModel;
        if (settings.FastModel is not { } fast)
        {
            return (strong, Strong);
        }
        string text = context.InboundText.Trim();
        bool simple = text.Length <= settings.FastMaxChars
            && text.Count(c => c is '?' or '\u061F') <= 1
            && context.History.Count(h => h.Direction == "in") <= 1;
        return simple ? (fast, Fast) : (strong, Strong);
    }
}
