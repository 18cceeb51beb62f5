using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Voice;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database with a <see cref="FakeTwilio"/> (as <see cref="TwilioFixture{TApp}"/>)
/// and a clock the tests move forward: to a weekday and hour in a tenant's time zone, or past the 24-hour text-back window.
/// </summary>
public sealed class MissedCallFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    /// <summary>The business line callers dial (the tenant's Twilio number).</summary>
    public const string BusinessLine = TwilioFixture<SqliteApp>.SmsFrom;

    public MissedCallFixture()
    {
        Twilio = new FakeTwilio();
        Clock = new ShiftableClock(DateTimeOffset.UtcNow);
        App = new TApp();
        App.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", BusinessLine)
            .With("TWILIO_API_BASE_URL", Twilio.BaseUrl)
            .With("PUBLIC_BASE_URL", TwilioFixture<SqliteApp>.PublicBaseUrl)
            .WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public FakeTwilio Twilio { get; }

    public ShiftableClock Clock { get; }

    public TApp App { get; }

    /// <summary>Moves the clock forward to the next <paramref name="day"/> at <paramref name="time"/> in <paramref name="zone"/>.</summary>
    public void MoveTo(string zone, DayOfWeek day, TimeOnly time)
    {
        TimeZoneInfo tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        DateTime local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), tz).DateTime;
        DateTime target = local.Date + time.ToTimeSpan();
        while (target <= local || target.DayOfWeek != day)
        {
            target = target.AddDays(1);
        }
        Clock.Advance(new DateTimeOffset(target, tz.GetUtcOffset(target)) - Clock.GetUtcNow());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
