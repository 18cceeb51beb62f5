namespace Leadline.Evaluation;

/// <summary>A clock that starts at a chosen instant and runs at real speed: the evaluation's "--now".</summary>
public sealed class OffsetClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;
}
