using Leadline.Tenants;
using Leadline.Voice;

namespace Leadline.Tests.Voice;

/// <summary>Day, evening and night mode from the tenant's time zone, business days and hours, at the edges.</summary>
public sealed class MissedCallHoursTests
{
    private static readonly TenantSettings s_chicago = new() { Timezone = "America/Chicago" };

    /// <summary>A local time in the settings' zone (2026-11-16 is a Monday, after the end of daylight saving time).</summary>
    private static MissedCallMode At(TenantSettings settings, string local)
    {
        TimeZoneInfo zone = settings.Zone();
        DateTime time = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        return MissedCallHours.ModeAt(settings, new DateTimeOffset(time, zone.GetUtcOffset(time)));
    }

    [Theory]
    [InlineData("2026-11-18 07:59:59", MissedCallMode.Night)]
    [InlineData("2026-11-18 08:00:00", MissedCallMode.Day)]
    [InlineData("2026-11-18 12:30:00", MissedCallMode.Day)]
    [InlineData("2026-11-18 17:59:59", MissedCallMode.Day)]
    [InlineData("2026-11-18 18:00:00", MissedCallMode.Evening)]
    [InlineData("2026-11-18 20:59:59", MissedCallMode.Evening)]
    [InlineData("2026-11-18 21:00:00", MissedCallMode.Night)]
    [InlineData("2026-11-18 00:00:00", MissedCallMode.Night)]
    public void TheDefaultHoursSplitABusinessDayIntoDayEveningAndNight(string local, MissedCallMode expected) =>
        Assert.Equal(expected, At(s_chicago, local));

    [Theory]
    [InlineData("2026-11-21 10:00:00")]
    [InlineData("2026-11-21 19:00:00")]
    [InlineData("2026-11-22 08:00:00")]
    public void AWeekendIsNightAllDay(string local) => Assert.Equal(MissedCallMode.Night, At(s_chicago, local));

    [Fact]
    public void BusinessDaysAndHoursComeFromTheSettings()
    {
        TenantSettings saturdays = s_chicago with { BusinessDays = ["sat"], DayHours = "09:00-13:00", EveningHours = "13:00-16:00" };
        Assert.Equal(MissedCallMode.Day, At(saturdays, "2026-11-21 09:00:00"));
        Assert.Equal(MissedCallMode.Evening, At(saturdays, "2026-11-21 13:00:00"));
        Assert.Equal(MissedCallMode.Night, At(saturdays, "2026-11-21 16:00:00"));
        Assert.Equal(MissedCallMode.Night, At(saturdays, "2026-11-18 10:00:00"));
    }

    [Fact]
    public void AnEveningPastMidnightBelongsToTheDayItStarted()
    {
        TenantSettings late = s_chicago with { EveningHours = "18:00-01:00" };
        Assert.Equal(MissedCallMode.Evening, At(late, "2026-11-19 00:30:00"));
        // Friday's evening runs into Saturday morning; Sunday's evening does not exist, so Monday 00:30 is night.
        Assert.Equal(MissedCallMode.Evening, At(late, "2026-11-21 00:30:00"));
        Assert.Equal(MissedCallMode.Night, At(late, "2026-11-23 00:30:00"));
        Assert.Equal(MissedCallMode.Night, At(late, "2026-11-19 01:00:00"));
    }

    [Fact]
    public void TheTenantsTimeZoneDecidesTheMode()
    {
        // Wednesday 16:00 UTC: 10:00 in Chicago, 19:00 in Riyadh, 01:00 on Thursday in Tokyo.
        var instant = new DateTimeOffset(2026, 11, 18, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(MissedCallMode.Day, MissedCallHours.ModeAt(s_chicago, instant));
        Assert.Equal(MissedCallMode.Evening, MissedCallHours.ModeAt(new TenantSettings { Timezone = "Asia/Riyadh" }, instant));
        Assert.Equal(MissedCallMode.Night, MissedCallHours.ModeAt(new TenantSettings { Timezone = "Asia/Tokyo" }, instant));
    }
}
