using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// Picks the <see cref="MissedCallMode"/> for a moment in the tenant's local time: day on a business day within
/// <c>day_hours</c>, evening on a business day within <c>evening_hours</c>, night otherwise (and all day on other days).
/// </summary>
public static class MissedCallHours
{
    public static MissedCallMode ModeAt(TenantSettings settings, DateTimeOffset now)
    {
        DateTime local = TimeZoneInfo.ConvertTime(now, settings.Zone()).DateTime;
        if (In(settings.DayHours, settings, local))
        {
            return MissedCallMode.Day;
        }
        return In(settings.EveningHours, settings, local) ? MissedCallMode.Evening : MissedCallMode.Night;
    }

    /// <summary>The lower-case name settings use for a mode (and the <c>missed_calls.mode</c> column holds).</summary>
    public static string Name(MissedCallMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>
    /// Whether <paramref name="local"/> falls in the window on a business day. The part of a window after midnight
    /// (evening 18:00-01:00) belongs to the day it started on: Friday's evening runs into Saturday, Sunday's does not.
    /// </summary>
    private static bool In(string window, TenantSettings settings, DateTime local)
    {
        if (!QuietHours.TryParse(window, out QuietHours? hours))
        {
            return false;
        }
        TimeOnly time = TimeOnly.FromDateTime(local);
        if (!hours.Contains(time))
        {
            return false;
        }
        DateTime opened = hours.Start > hours.End && time < hours.End ? local.AddDays(-1) : local;
        return settings.BusinessDays.Contains(WeekDay(opened.DayOfWeek));
    }

    private static string WeekDay(DayOfWeek day) => TenantSettings.WeekDays[((int)day + 6) % 7];
}
