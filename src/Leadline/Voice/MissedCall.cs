namespace Leadline.Voice;

/// <summary>
/// One call to the business line, as a phone system reported it. <see cref="Source"/> (<c>twilio</c> or
/// <c>webhook</c>) and <see cref="CallId"/> identify it for idempotency; <see cref="Caller"/> is the caller's number
/// in E.164, or null when the caller withheld it (nobody to text back).
/// </summary>
public sealed record MissedCall(string Source, string CallId, string? Caller, string? Called, DateTimeOffset CalledAt)
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }

    /// <summary>Who reported the call (the phone system's address), kept with the consent evidence.</summary>
    public string? SourceIp { get; init; }
}
