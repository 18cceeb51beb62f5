using Leadline.Mail;

namespace Leadline.Tests.Mail;

public sealed class ReconnectBackoffTests
{
    /// <summary>A Random that always draws the same number, so delays are exact.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Fact]
    public void WithoutJitterTheDelayDoublesFromOneSecondUpToFiveMinutes()
    {
        var backoff = new ReconnectBackoff();
        double[] seconds = [.. Enumerable.Range(1, 12).Select(a => backoff.Delay(a, new FixedRandom(0)).TotalSeconds)];
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300], seconds);
    }

    [Fact]
    public void JitterTakesOffAtMostItsShare()
    {
        var backoff = new ReconnectBackoff();
        Assert.Equal(TimeSpan.FromSeconds(0.8), backoff.Delay(1, new FixedRandom(1)));
        Assert.Equal(TimeSpan.FromMinutes(4), backoff.Delay(30, new FixedRandom(1)));

        var random = new Random(42);
        for (int attempt = 1; attempt <= 40; attempt++)
        {
            TimeSpan delay = backoff.Delay(attempt, random);
            double cap = Math.Min(Math.Pow(2, attempt - 1), 300);
            Assert.InRange(delay.TotalSeconds, cap * 0.8, cap);
        }
    }

    [Fact]
    public void HugeAttemptNumbersStayAtTheMaximum()
    {
        var backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(250), Max = TimeSpan.FromSeconds(30), Jitter = 0 };
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(int.MaxValue, new Random(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Delay(2, new Random(1)));
    }

    [Fact]
    public void AttemptsCountFromOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff().Delay(0, new Random(1)));
    }
}
