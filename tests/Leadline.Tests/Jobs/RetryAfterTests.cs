using System.Net;
using Leadline.Jobs;

namespace Leadline.Tests.Jobs;

/// <summary>Retry-After as providers send it: seconds, an HTTP-date, or something that is neither.</summary>
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData(" 120 ", 120)]
    [InlineData("3600", 3600)]
    public void SecondsAreTheWait(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, s_now));

    [Fact]
    public void AnHttpDateIsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Parse("Sun, 06 Dec 2026 03:01:30 GMT", s_now));

    [Fact]
    public void ADateAlreadyPastMeansNow() =>
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Sun, 06 Dec 2026 02:00:00 GMT", s_now));

    [Theory]
    [InlineData("86400")]
    [InlineData("Mon, 07 Dec 2026 03:00:00 GMT")]
    public void AWaitBeyondAnHourIsCappedAtAnHour(string value) =>
        Assert.Equal(RetryAfter.Max, RetryAfter.Parse(value, s_now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("12 seconds")]
    [InlineData("Sunday at noon")]
    public void AValueThatIsNeitherSecondsNorADateIsNoWait(string? value) =>
        Assert.Null(RetryAfter.Parse(value, s_now));

    [Fact]
    public void AResponsesHeaderIsReadTheSameWay()
    {
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        limited.Headers.TryAddWithoutValidation("Retry-After", "30");
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.From(limited));

        using var garbled = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        garbled.Headers.TryAddWithoutValidation("Retry-After", "later, please");
        Assert.Null(RetryAfter.From(garbled));

        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(RetryAfter.From(none));
    }
}
