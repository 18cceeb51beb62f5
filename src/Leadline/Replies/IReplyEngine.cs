using Leadline.Knowledge;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>Writes the reply to a lead's message. Implementations: the offline engine (default), LLM engines later.</summary>
public interface IReplyEngine
{
    string Name { get; }

    Task<ReplyDraft> DraftAsync(ReplyContext context, CancellationToken ct);
}

/// <summary>Everything an engine may use: nothing else, so a reply can only contain what the tenant gave us.</summary>
public sealed record ReplyContext(
    Tenant Tenant,
    ReplyLead Lead,
    string Channel,
    string InboundText,
    string? Subject,
    IReadOnlyList<HistoryMessage> History,
    DateTimeOffset Now)
{
    /// <summary>The tenant's FAQs that best match the message, best first (filled by the reply job before drafting).</summary>
    public IReadOnlyList<FaqMatch> Snippets { get; init; } = [];

    /// <summary>The lead's language as qualification read it; engines answer in it (null: detect from the text).</summary>
    public string? Language { get; init; }
}

public sealed record ReplyLead(Guid Id, string? FirstName, string? LastName, string? Email, string? Phone);

public sealed record HistoryMessage(string Direction, string Author, string Body, long CreatedAt);

/// <summary>
/// An engine's draft. <see cref="FaqIds"/> are the snippets the text is grounded on (empty for the fallback);
/// <see cref="Confidence"/> is the retrieval confidence in [0, 1].
/// </summary>
public sealed record ReplyDraft(
    string Text,
    string Language,
    double Confidence,
    IReadOnlyList<string> FaqIds,
    bool Fallback,
    string Engine)
{
    /// <summary>The FAQ answer inside <see cref="Text"/>, when there is one: what a channel's length limit may shorten.</summary>
    public string? Answer { get; init; }

    /// <summary>Why guardrails replaced the engine's draft with the fallback; empty when they passed it.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];
}
