using System.Text.Json;

namespace Leadline.Intake;

/// <summary>
/// One inbound message in the shape every channel adapter produces. <see cref="Source"/> and
/// <see cref="ExternalId"/> together identify the provider's event for idempotency.
/// </summary>
public sealed record InboundMessage
{
    public required string Channel { get; init; }
    public required string Source { get; init; }
    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Subject { get; init; }
    public required string Body { get; init; }
    public string? LeadSource { get; init; }

    /// <summary>The provider's message id (an e-mail Message-ID), used to thread our reply.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>
    /// Our own outbound messages this one answers (an e-mail's In-Reply-To and References): the first that exists in
    /// the tenant names the lead and the conversation it joins, whatever address the answer came from.
    /// </summary>
    public IReadOnlyList<Guid> RepliesTo { get; init; } = [];

    public JsonElement? Metadata { get; init; }

    /// <summary>The client's IP address, kept as consent evidence.</summary>
    public string? SourceIp { get; init; }
}

public sealed record IntakeResult(Guid LeadId, Guid ConversationId, Guid MessageId, string Status)
{
    /// <summary>The text the intake queued at once (<see cref="IntakeReply.Text"/>), if any.</summary>
    public Guid? ReplyId { get; init; }
}
