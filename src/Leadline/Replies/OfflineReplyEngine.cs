using Leadline.Knowledge;

namespace Leadline.Replies;

/// <summary>
/// The default engine: answers with the best matching FAQ, in the lead's language when the FAQ has a translation,
/// rendered with the tenant's templates; below the tenant's confidence threshold it sends the safe fallback.
/// No model or key needed, and it cannot state anything the tenant did not write.
/// </summary>
public sealed class OfflineReplyEngine : IReplyEngine
{
    public const string EngineName = "offline";

    public string Name => EngineName;

    public Task<ReplyDraft> DraftAsync(ReplyContext context, CancellationToken ct)
    {
        string language = context.Language ?? TextLanguage.Detect(context.InboundText);
        FaqMatch? best = context.Snippets.Count > 0 ? context.Snippets[0] : null;
        if (best is null || best.Confidence < context.Tenant.Settings.ConfidenceThreshold)
        {
            return Task.FromResult(ReplyTemplates.Fallback(context, language, best?.Confidence ?? 0, Name));
        }
        string answer = best.Faq.In(language).Answer;
        string text = ReplyTemplates.RenderReply(context, language, answer);
        return Task.FromResult(new ReplyDraft(text, language, best.Confidence, [best.Faq.Reference], false, Name) { Answer = answer });
    }
}
