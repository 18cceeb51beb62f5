namespace Leadline.Voice;

/// <summary>
/// What became of a call: its lead and conversation (none when the caller withheld the number), the mode it came in,
/// and the outcome (<see cref="MissedCalls"/>'s constants). <see cref="Duplicate"/>: the call was decided before, by an
/// earlier delivery of the same webhook, and this one changed nothing.
/// </summary>
public sealed record MissedCallResult(Guid? LeadId, Guid? ConversationId, MissedCallMode Mode, string Outcome, bool Duplicate);
