using System.Globalization;

namespace Leadline.Qualification.Engine;

/// <summary>Date arithmetic behind the timeline buckets of PRODUCT.md section 5.</summary>
internal static class TimelineCalendar
{
    // Northern-hemisphere season starts (month, day).
    private static readonly Dictionary<string, (int Month, int Day)> s_seasons = new()
    {
        ["spring"] = (3, 20), ["summer"] = (6, 21), ["autumn"] = (9, 22), ["winter"] = (12, 21),
    };

    private static readonly UmAlQuraCalendar s_hijri = new();

    /// <summary>A target this many days away: 0 today, 1-7 this week, 8-31 this month, 32-92 one to three months.</summary>
    public static Timeline ByDays(int days) => days switch
    {
        < 0 => Timeline.Unknown,
        0 => Timeline.Asap,
        <= 7 => Timeline.ThisWeek,
        <= 31 => Timeline.ThisMonth,
        <= 92 => Timeline.OneToThreeMonths,
        _ => Timeline.ThreePlusMonths,
    };

    /// <summary>A month or season that starts this many days away: within 31 days it is "this month", never sooner.</summary>
    public static Timeline ByPeriodStart(int days) => days < 0 ? Timeline.Unknown : days <= 31 ? Timeline.ThisMonth : ByDays(days);

    /// <summary>"in N units": weeks and days by date, months by count (next month is already 1-3 months).</summary>
    public static Timeline ByOffset(string unit, decimal n) => unit switch
    {
        "minute" => Timeline.Asap,
        "hour" => n < 24 ? Timeline.Asap : ByDays((int)Math.Ceiling(n / 24)),
        "day" => ByDays((int)Math.Ceiling(n)),
        "week" => ByDays((int)Math.Ceiling(n * 7)),
        "month" => n < 1 ? Timeline.ThisMonth : n <= 3 ? Timeline.OneToThreeMonths : Timeline.ThreePlusMonths,
        "year" => Timeline.ThreePlusMonths,
        _ => Timeline.Unknown,
    };

    /// <summary>Days until the coming weekday: 1 to 7 (the same weekday means a week from today).</summary>
    public static int DaysUntil(DateOnly today, DayOfWeek day)
    {
        int days = ((int)day - (int)today.DayOfWeek + 7) % 7;
        return days == 0 ? 7 : days;
    }

    /// <summary>A named month (1-12), optionally with day and year; "after" means the month that follows it.</summary>
    public static Timeline Month(DateOnly today, int month, int? day, int? year, bool after)
    {
        if (after)
        {
            (month, year) = month == 12 ? (1, year + 1) : (month + 1, year);
            day = null;
        }
        if (day is int d)
        {
            int y = year ?? today.Year;
            if (d > DateTime.DaysInMonth(y, month))
            {
                return Timeline.Unknown;
            }
            var date = new DateOnly(y, month, d);
            if (year is null && date < today)
            {
                date = date.AddYears(1);
            }
            return ByDays(date.DayNumber - today.DayNumber);
        }
        if (month == today.Month && (year is null || year == today.Year))
        {
            return Timeline.ThisMonth;
        }
        var start = new DateOnly(year ?? (month > today.Month ? today.Year : today.Year + 1), month, 1);
        return ByPeriodStart(start.DayNumber - today.DayNumber);
    }

    /// <summary>"on the 28th": this month's day, or next month's when it has passed.</summary>
    public static Timeline DayOfMonth(DateOnly today, int day)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        for (int k = 0; k < 3; k++)
        {
            DateOnly month = first.AddMonths(k);
            if (day <= DateTime.DaysInMonth(month.Year, month.Month) && month.AddDays(day - 1) >= today)
            {
                return ByDays(month.AddDays(day - 1).DayNumber - today.DayNumber);
            }
        }
        return Timeline.Unknown;
    }

    /// <summary>A season: the one we are in now is this month; "next" skips it to the following year.</summary>
    public static Timeline Season(DateOnly today, string season, bool next)
    {
        if (!s_seasons.TryGetValue(season, out var start))
        {
            return Timeline.Unknown;
        }
        bool current = CurrentSeason(today) == season;
        if (current && !next)
        {
            return Timeline.ThisMonth;
        }
        var date = new DateOnly(today.Year, start.Month, start.Day);
        while (date <= today)
        {
            date = date.AddYears(1);
        }
        return ByPeriodStart(date.DayNumber - today.DayNumber);
    }

    /// <summary>A Hijri month by number (Ramadan = 9), dated with the Umm al-Qura calendar.</summary>
    public static Timeline HijriMonth(DateOnly today, int month, bool after)
    {
        DateTime now = today.ToDateTime(TimeOnly.MinValue);
        int year = s_hijri.GetYear(now);
        if (after)
        {
            (month, year) = month == 12 ? (1, year + 1) : (month + 1, year);
        }
        if (!after && month == s_hijri.GetMonth(now))
        {
            return Timeline.ThisMonth;
        }
        DateTime start = s_hijri.ToDateTime(year, month, 1, 0, 0, 0, 0);
        if (start < now)
        {
            start = s_hijri.ToDateTime(year + 1, month, 1, 0, 0, 0, 0);
        }
        return ByPeriodStart((int)(start - now).TotalDays);
    }

    private static string CurrentSeason(DateOnly today)
    {
        string current = "winter";
        foreach ((string name, (int m, int d)) in s_seasons)
        {
            if (new DateOnly(today.Year, m, d) <= today)
            {
                current = name;
            }
        }
        return current;
    }
}
