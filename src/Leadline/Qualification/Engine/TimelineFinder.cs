using System.Text.RegularExpressions;

namespace Leadline.Qualification.Engine;

/// <summary>
/// The timeline from the earliest target the lead states. The phrase table's "timeline" keys are either a bucket
/// ("asap", "this_week"...) or a kind of date to compute ("offset", "weekday", "month", "season"...).
/// </summary>
internal static class TimelineFinder
{
    // "not today", "don't need it this week": a negation this close cancels the target.
    private const int NegationWindow = 2;

    public static Timeline Find(MessageAnalysis a)
    {
        Timeline best = Timeline.Unknown;
        Hit? cited = null;
        List<Hit> hits = a.Find("timeline");
        foreach (Hit hit in hits)
        {
            if (a.IsNegated(hit.Start, NegationWindow) || a.InHoursQuestion(hit.Start) || a.IsImagined(hit.Start))
            {
                continue;
            }
            // "next week, preferably Tuesday": a weekday in the same sentence as "next week" is next week's.
            bool nextWeek = hit.Key == "weekday" && hits.Exists(h => h.Key == "next_week" && a.Text.SameSentence(h.Start, hit.Start));
            Timeline t = Resolve(nextWeek ? hit with { Key = "weekday_next" } : hit, a);
            if (t != Timeline.Unknown && (best == Timeline.Unknown || t < best))
            {
                best = t;
                cited = hit;
            }
        }
        if (cited is Hit c)
        {
            a.Cite("timeline", best.ToCode(), c.Start, c.End);
        }
        return best;
    }

    private static Timeline Resolve(Hit hit, MessageAnalysis a)
    {
        Match m = hit.Match;
        DateOnly today = a.Today;
        Words words = a.Words;
        switch (hit.Key)
        {
            case "offset":
                if (!words.Units.TryGetValue(TextFolding.Key(m.Groups["unit"].Value), out var unit))
                {
                    return Timeline.Unknown;
                }
                decimal? count = m.Groups["count"].Success ? words.Count(m.Groups["count"].Value) : 1;
                return count is decimal n ? TimelineCalendar.ByOffset(unit.Unit, n * unit.Count) : Timeline.Unknown;
            case "weekday" or "weekday_next":
                if (!words.Weekdays.TryGetValue(TextFolding.Key(m.Groups["wd"].Value), out DayOfWeek day))
                {
                    return Timeline.Unknown;
                }
                // "next Friday" is the Friday after the coming one, like "next week" is the week after this one.
                int days = TimelineCalendar.DaysUntil(today, day) + (hit.Key == "weekday_next" ? 7 : 0);
                return TimelineCalendar.ByDays(days);
            case "month" or "month_after":
                int? month = m.Groups["month"].Success && words.Months.TryGetValue(TextFolding.Key(m.Groups["month"].Value), out int mo) ? mo
                    : m.Groups["monthnum"].Success ? int.Parse(m.Groups["monthnum"].ValueSpan, provider: null) : null;
                return month is int mm
                    ? TimelineCalendar.Month(today, mm, Number(m, "day"), Number(m, "year"), hit.Key == "month_after")
                    : Timeline.Unknown;
            case "hijri" or "hijri_after":
                return words.HijriMonths.TryGetValue(TextFolding.Key(m.Groups["hijri"].Value), out int hm)
                    ? TimelineCalendar.HijriMonth(today, hm, hit.Key == "hijri_after")
                    : Timeline.Unknown;
            case "season" or "season_next":
                return words.Seasons.TryGetValue(TextFolding.Key(m.Groups["season"].Value), out string? season)
                    ? TimelineCalendar.Season(today, season, hit.Key == "season_next")
                    : Timeline.Unknown;
            case "day_of_month":
                return Number(m, "day") is int dom ? TimelineCalendar.DayOfMonth(today, dom) : Timeline.Unknown;
            case "year":
                return Number(m, "year") > today.Year ? Timeline.ThreePlusMonths : Timeline.Unknown;
            case "next_week":
                return Timeline.ThisMonth;
            case "year_end":
                return TimelineCalendar.ByDays(new DateOnly(today.Year, 12, 31).DayNumber - today.DayNumber);
            default:
                return QualificationCodes.ParseTimeline(hit.Key);
        }
    }

    private static int? Number(Match m, string group) =>
        m.Groups[group].Success && int.TryParse(m.Groups[group].ValueSpan, out int n) ? n : null;
}
