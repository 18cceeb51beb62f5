using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Leadline.Hosting;

/// <summary>
/// A daily window in local time, such as 22:00-07:00 (crossing midnight) or 12:00-13:00, during which something
/// waits: owner SMS alerts (QUIET_HOURS).
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out QuietHours? hours)
    {
        hours = null;
        string[] parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly start)
            || !TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly end)
            || start == end)
        {
            return false;
        }
        hours = new QuietHours(start, end);
        return true;
    }

    public bool Contains(TimeOnly time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    /// <summary>When the window containing <paramref name="local"/> ends (local time); <paramref name="local"/> itself when outside it.</summary>
    public DateTime EndAfter(DateTime local)
    {
        TimeOnly time = TimeOnly.FromDateTime(local);
        if (!Contains(time))
        {
            return local;
        }
        DateTime end = local.Date + End.ToTimeSpan();
        return end > local ? end : end.AddDays(1);
    }

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
