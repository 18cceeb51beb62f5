namespace Leadline.Tests.Infrastructure;

/// <summary>A clock that starts at a chosen instant, runs at real speed, and can be moved forward by a test.</summary>
public sealed class ShiftableClock(DateTimeOffset start) : TimeProvider
{
    private long _offsetTicks = (start - DateTimeOffset.UtcNow).Ticks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
