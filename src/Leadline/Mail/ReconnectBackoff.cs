namespace Leadline.Mail;

/// <summary>
/// How long to wait before reconnecting to a mail server after a failure: it starts at <see cref="Initial"/>, doubles
/// with each failed attempt up to <see cref="Max"/>, and takes off a random share of up to <see cref="Jitter"/> so
/// that many pollers cut off together (a server restart) do not all come back in the same second. A pure function of the attempt number and a <see cref="Random"/>, so it is tested without
/// waiting. The caller counts attempts and starts again at 1 after a connection that worked.
/// </summary>
public sealed record ReconnectBackoff
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Max { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest share of the delay taken off at random, between 0 and 1.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failures (1 or more).</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        // 2^(attempt-1) overflows nothing as a double, and the cap comes before the conversion back to ticks.
        double ticks = Math.Min(Initial.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62)), Max.Ticks);
        double jitter = Math.Clamp(Jitter, 0, 1);
        return TimeSpan.FromTicks((long)(ticks * (1 - jitter * random.NextDouble())));
    }
}
