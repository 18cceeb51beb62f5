using Leadline.Compliance;

namespace Leadline.Intake;

/// <summary>
/// How one intake differs from a lead's form or text, as data for the one intake transaction
/// (<see cref="IntakeService.AcceptInTxAsync"/>): everything else (idempotency, the contact lock, the lead, the
/// conversation, the message, the audit trail, opt-outs, the owner's new-lead alert) is the same for every channel.
/// </summary>
public sealed record IntakeRules
{
    /// <summary>A form, a webhook, a text or an e-mail: deduplicated, keywords honoured, answered by the reply job.</summary>
    public static readonly IntakeRules Default = new();

    /// <summary>
    /// Whether the tenant's dedupe window applies (same contact, same text). A missed call says nothing, so each call
    /// is its own event; its "once a day" rule is the text-back's, not the message's.
    /// </summary>
    public bool Dedupe { get; init; } = true;

    /// <summary>
    /// Whether STOP, START and HELP in the body take effect here. Off where the words were heard and handled already
    /// (a qualification call's answers), so a spoken "stop calling me" is not confirmed a second time by text.
    /// </summary>
    public bool Compliance { get; init; } = true;

    /// <summary>What answers the message first, when no compliance keyword does.</summary>
    public IntakeReply Reply { get; init; } = IntakeReply.Draft;

    /// <summary>With <see cref="IntakeReply.Text"/>: the fixed text (a rendered template) sent as it is, without approval.</summary>
    public string? Text { get; init; }

    /// <summary>
    /// The channel of the conversation the message belongs to when the answer goes by another channel than the
    /// message came (a missed call is answered by SMS, and the caller's answer to that text must find it). Null: the
    /// message's channel.
    /// </summary>
    public string? ConversationChannel { get; init; }

    /// <summary>Join the lead's latest open conversation, whatever its channel (a call the lead was asked to take).</summary>
    public bool AnyOpenConversation { get; init; }

    /// <summary>The subject of a conversation this message opens, when the message has none of its own.</summary>
    public string? ConversationSubject { get; init; }

    /// <summary>Consent the message itself gives (calling the business), recorded for the lead's contact.</summary>
    public ConsentEvidence? ImpliedConsent { get; init; }

    /// <summary>The lead the message continues, when the caller knows it (a call placed to a lead): no lookup, no new lead.</summary>
    public Guid? LeadId { get; init; }

    /// <summary>When the lead said it (Unix milliseconds), if not now: a call's answers keep the times they were given.</summary>
    public long? ReceivedAt { get; init; }
}

/// <summary>What the intake queues to answer a message.</summary>
public enum IntakeReply
{
    /// <summary>The <c>reply</c> job drafts an answer (when the tenant's auto_reply is on).</summary>
    Draft,

    /// <summary><see cref="IntakeRules.Text"/> is queued for delivery at once.</summary>
    Text,

    /// <summary>Nothing: the caller answers (or decided not to) itself.</summary>
    None,
}
