using System.Net;
using System.Text.Json;
using Leadline.Compliance;
using Leadline.Tenants;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Compliance;

public sealed class LeadHoursTests
{
    private static readonly TimeZoneInfo s_newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("2026-11-21T15:00:00Z", null)]                    // 10:00 in New York
    [InlineData("2026-11-21T13:00:00Z", null)]                    // 08:00 exactly
    [InlineData("2026-11-22T01:59:00Z", null)]                    // 20:59
    [InlineData("2026-11-22T02:00:00Z", "2026-11-22T13:00:00Z")]  // 21:00: the next morning at 8
    [InlineData("2026-11-22T08:00:00Z", "2026-11-22T13:00:00Z")]  // 03:00: the same morning at 8
    public void TextsGoOutBetweenEightAndNineInTheLeadsTime(string now, string? next)
    {
        DateTimeOffset? window = LeadHours.NextWindow(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), s_newYork, null);
        Assert.Equal(next is null ? null : DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), window);
    }

    [Fact]
    public void ALeadWhoWroteInTheLast24HoursMayBeAnsweredAtNight()
    {
        var night = DateTimeOffset.Parse("2026-11-22T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(LeadHours.NextWindow(night, s_newYork, night.AddHours(-23)));
        Assert.NotNull(LeadHours.NextWindow(night, s_newYork, night.AddHours(-25)));
    }

    [Theory]
    [InlineData("+12127365000", "America/New_York")]
    [InlineData("+13127445000", "America/Chicago")]
    [InlineData("+13038662471", "America/Denver")]
    [InlineData("+12139780600", "America/Los_Angeles")]   // the tenant's calling code, another zone
    [InlineData("+442079460958", "Europe/London")]
    [InlineData("+966501234567", "Asia/Riyadh")]
    [InlineData("+8613800000000", "Asia/Shanghai")]
    [InlineData("+18002345678", "America/New_York")]      // toll-free: several zones, so the tenant's
    [InlineData("+15551234567", "America/New_York")]      // no known zone, so the tenant's
    public void TheLeadsZoneIsTheNumbersWhenItHasOneElseTheTenants(string phone, string zone)
    {
        var tenant = new TenantSettings { Timezone = "America/New_York", DefaultCountry = "US" };
        Assert.Equal(zone, LeadHours.ZoneOf(phone, tenant).Id);
    }

    [Fact]
    public void ALosAngelesLeadOfANewYorkBusinessIsNotTextedAtFiveInTheMorning()
    {
        var tenant = new TenantSettings { Timezone = "America/New_York", DefaultCountry = "US" };
        var eightInNewYork = DateTimeOffset.Parse("2026-11-23T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(LeadHours.NextWindow(eightInNewYork, LeadHours.ZoneOf("+12127365000", tenant), null));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            LeadHours.NextWindow(eightInNewYork, LeadHours.ZoneOf("+12139780600", tenant), null));
    }

    [Fact]
    public void ATorontoLeadOfASaudiBusinessIsInToronto()
    {
        var tenant = new TenantSettings { Timezone = "Asia/Riyadh", DefaultCountry = "SA" };
        Assert.Equal("America/Toronto", LeadHours.ZoneOf("+14163380338", tenant).Id);
        Assert.Equal("Asia/Riyadh", LeadHours.ZoneOf("+966501234567", tenant).Id);
    }

    [Fact]
    public void AStoredZoneIsUsedAndAMissingOneIsTheTenants()
    {
        var tenant = new TenantSettings { Timezone = "Asia/Riyadh", DefaultCountry = "SA" };
        Assert.Equal("Europe/Moscow", LeadHours.Zone("Europe/Moscow", tenant).Id);
        Assert.Equal("Asia/Riyadh", LeadHours.Zone(null, tenant).Id);
        Assert.Equal("Asia/Riyadh", LeadHours.Zone("Mars/Olympus", tenant).Id);
    }
}

/// <summary>A text to a lead who has not written for a day waits for the lead's morning, then goes out.</summary>
public abstract class LeadQuietHoursTests(LeadlineApp app, ShiftableClock clock)
{
    [Fact]
    public async Task AnEveningTextWaitsForTheMorning()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { timezone = "America/New_York", default_country = "US", booking_link = "https://cal.com/acme" });
        string phone = "+1212555" + Random.Shared.Next(1000, 9999);
        var accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = Guid.NewGuid().ToString(), phone, channel = "sms", message = "Do you install water heaters?",
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        Guid conversation = accepted.GetProperty("conversation_id").GetGuid();
        // The lead wrote at 10:00 New York time: the answer goes at once.
        await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));

        // A day and a half later, at 22:00 in New York, a person follows up: it waits.
        clock.Advance(TimeSpan.FromHours(36));
        JsonElement followUp = await (await tenant.Client.PostJsonAsync($"/v1/conversations/{conversation}/messages",
            new { body = "Hi, just checking whether you still need the water heater installed? https://cal.com/acme" }))
            .JsonAsync(HttpStatusCode.Accepted);
        Guid id = followUp.GetProperty("id").GetGuid();
        JsonElement waiting = await tenant.Client.WaitForLeadAsync(leadId, l => Message(l, id).GetProperty("last_error").GetString() is not null);
        Assert.Equal("queued", Message(waiting, id).GetProperty("status").GetString());
        Assert.StartsWith("quiet_hours", Message(waiting, id).GetProperty("last_error").GetString());
        JsonElement deferred = Assert.Single((await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/audit?kind=send.deferred"))
            .JsonAsync(HttpStatusCode.OK)).EnumerateArray()).GetProperty("data");
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            deferred.GetProperty("until").GetDateTimeOffset());

        // At 8:00 the next morning it goes out.
        clock.Advance(TimeSpan.FromHours(10));
        JsonElement sent = await tenant.Client.WaitForLeadAsync(leadId, l => Message(l, id).GetProperty("status").GetString() == "sent");
        Assert.Equal("sent", Message(sent, id).GetProperty("status").GetString());
        Assert.Equal(1, Message(sent, id).GetProperty("attempts").GetInt32());
    }

    private static JsonElement Message(JsonElement lead, Guid id) =>
        lead.Outbound().Single(m => m.GetProperty("id").GetGuid() == id);
}

public sealed class QuietHoursFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public QuietHoursFixture()
    {
        Clock = new ShiftableClock(DateTimeOffset.Parse("2026-11-21T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        App = new TApp();
        App.WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public ShiftableClock Clock { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SqliteLeadQuietHoursTests(QuietHoursFixture<SqliteApp> f) : LeadQuietHoursTests(f.App, f.Clock), IClassFixture<QuietHoursFixture<SqliteApp>>;

public sealed class PostgresLeadQuietHoursTests(QuietHoursFixture<PostgresApp> f) : LeadQuietHoursTests(f.App, f.Clock), IClassFixture<QuietHoursFixture<PostgresApp>>;
