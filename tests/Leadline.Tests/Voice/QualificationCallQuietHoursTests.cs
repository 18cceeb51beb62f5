using System.Globalization;
using System.Net;
using System.Text.Json;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Voice;

/// <summary>A call asked for at 22:00 in the lead's time zone waits for 8:00 there, then is dialed.</summary>
public abstract class QualificationCallQuietHoursTests<TApp>(QualificationCallNightFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    [Fact]
    public async Task ACallAtNightWaitsForTheLeadsMorning()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, "https://cal.com/harbor-plumbing/visit",
            tenant: new { timezone = "America/New_York", default_country = "US" });
        string phone = "+1212555" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        // The lead has just written: a text could go now, a call still waits for calling hours.
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);

        JsonElement waiting = await QualificationCallSupport.WaitForCallAsync(tenant, leadId,
            c => c.GetProperty("last_error").GetString()?.StartsWith("quiet_hours", StringComparison.Ordinal) == true);
        Assert.Equal("queued", waiting.GetProperty("status").GetString());
        Assert.Contains("2026-11-24 13:00 UTC", waiting.GetProperty("last_error").GetString());
        JsonElement deferred = Assert.Single((await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/audit?kind=call.deferred"))
            .JsonAsync(HttpStatusCode.OK)).EnumerateArray()).GetProperty("data");
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T13:00:00Z", CultureInfo.InvariantCulture), deferred.GetProperty("until").GetDateTimeOffset());
        await Task.Delay(500);
        Assert.Empty(fixture.Twilio.CallRequestsTo(phone));

        // 8:00 in New York: the call goes out, once.
        fixture.Clock.Advance(TimeSpan.FromHours(10));
        TwilioCall call = await QualificationCallSupport.DialedAsync(fixture.Twilio, phone);
        JsonElement dialing = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("status").GetString() == "dialing");
        Assert.Equal(call.Sid, dialing.GetProperty("provider_call_sid").GetString());
        Assert.Equal(1, dialing.GetProperty("attempts").GetInt32());
        Assert.Single(fixture.Twilio.CallRequestsTo(phone));
    }
}

public sealed class SqliteQualificationCallQuietHoursTests(QualificationCallNightFixture<SqliteApp> fixture)
    : QualificationCallQuietHoursTests<SqliteApp>(fixture), IClassFixture<QualificationCallNightFixture<SqliteApp>>;

public sealed class PostgresQualificationCallQuietHoursTests(QualificationCallNightFixture<PostgresApp> fixture)
    : QualificationCallQuietHoursTests<PostgresApp>(fixture), IClassFixture<QualificationCallNightFixture<PostgresApp>>;
