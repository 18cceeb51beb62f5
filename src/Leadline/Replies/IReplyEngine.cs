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

    /// <summary>A model's wish to hand the conversation to a person, with its reason (null: no wish).</summary>
    public string? EscalateReason { get; init; }

    /// <summary>Tokens a model used for this draft (zero for the offline engine).</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.None;

    /// <summary>The exact prompt and raw response of a model draft, for the audit trail (null for the offline engine).</summary>
    public ModelTrace? Trace { get; init; }
}

public sealed record TokenUsage(long Input, long Output)
{
    public static readonly TokenUsage None = new(0, 0);

    public long Total => Input + Output;

    public TokenUsage Plus(TokenUsage other) => new(Input + other.Input, Output + other.Output);
}

/// <summary>What was sent to a model and what came back, every attempt.</summary>
public sealed record ModelTrace(string Provider, string Model, string System, string User, IReadOnlyList<string> Responses)
{
    /// <summary><c>fast</c> when the tenant's fast model took a short, simple message; <c>strong</c> otherwise.</summary>
    public string Route { get; init; } = Llm.ModelRouting.Strong;

    /// <summary>Tokens spent on the calls, including those whose output could not be used.</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.None;
}
