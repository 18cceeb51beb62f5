using System.Globalization;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Voice;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database, calling and texting through a <see cref="FakeTwilio"/>, on a clock
/// that starts at a Monday 15:00 UTC: inside calling hours for the UTC tenants and US numbers the tests use.
/// </summary>
public class QualificationCallFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string SmsFrom = "+15005550006";
    public const string PublicBaseUrl = "https://leads.example.com";

    public QualificationCallFixture() : this(DateTimeOffset.Parse("2026-11-23T15:00:00Z", CultureInfo.InvariantCulture))
    {
    }

    protected QualificationCallFixture(DateTimeOffset start)
    {
        Clock = new ShiftableClock(start);
        Twilio = new FakeTwilio();
        App = new TApp();
        App.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", SmsFrom)
            .With("TWILIO_API_BASE_URL", Twilio.BaseUrl)
            .With("PUBLIC_BASE_URL", PublicBaseUrl)
            .WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public ShiftableClock Clock { get; }

    public FakeTwilio Twilio { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

/// <summary>The same, starting at 22:00 in New York (03:00 UTC): outside a New York lead's calling hours.</summary>
public sealed class QualificationCallNightFixture<TApp>() : QualificationCallFixture<TApp>(DateTimeOffset.Parse("2026-11-24T03:00:00Z", CultureInfo.InvariantCulture))
    where TApp : LeadlineApp, new();
