using System.Globalization;

namespace Leadline.Mail.Mime;

/// <summary>
/// Reads the Date header: RFC 5322 ("Mon, 6 Jan 2025 10:15:00 +0100") and its obsolete forms, which old and broken
/// mailers still send: two- and three-digit years, named zones (GMT, EST, PDT; military letters count as UTC),
/// missing seconds, comments ("(CET)"), no day of week, asctime order ("Mon Jan  6 10:15:00 2025"), and ISO 8601.
/// </summary>
public static class MailDate
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Dictionary<string, int> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5, ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    /// <summary>The date with its offset, or null when the value cannot be read as a real date.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 200)
        {
            return null;
        }
        string text = HeaderParameters.StripComments(value).Trim();
        return ParseRfc5322(text) ?? ParseIso(text);
    }

    private static DateTimeOffset? ParseRfc5322(string text)
    {
        int? day = null, month = null, year = null, hour = null, minute = null, second = null;
        TimeSpan offset = TimeSpan.Zero;
        bool pm = false, am = false;
        string[] tokens = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        foreach (string raw in tokens)
        {
            string token = raw.TrimEnd('.');
            if (token.Contains(':') && hour is null && char.IsAsciiDigit(token[0]))
            {
                if (!TryTime(token, out int h, out int m, out int s))
                {
                    return null;
                }
                (hour, minute, second) = (h, m, s);
            }
            else if (token[0] is '+' or '-' && token.Length > 1 && hour is not null)
            {
                offset = ZoneOffset(token);
            }
            else if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                if (token.Length <= 2 && day is null && number is >= 1 and <= 31)
                {
                    day = number;
                }
                else if (year is null)
                {
                    year = token.Length switch
                    {
                        <= 2 => number < 50 ? 2000 + number : 1900 + number,
                        3 => 1900 + number,
                        _ => number,
                    };
                }
            }
            else if (char.IsAsciiLetter(token[0]))
            {
                if (month is null && MonthOf(token) is int m)
                {
                    month = m;
                }
                else if (token.Equals("pm", StringComparison.OrdinalIgnoreCase))
                {
                    pm = true;
                }
                else if (token.Equals("am", StringComparison.OrdinalIgnoreCase))
                {
                    am = true;
                }
                else if (hour is not null)
                {
                    offset = NamedZone(token);
                }
                // Anything else before the time is a day name ("Mon", "Monday"): it says nothing the date does not.
            }
        }
        if (day is null || month is null || year is null || hour is null)
        {
            return null;
        }
        int h24 = hour.Value;
        if (pm && h24 < 12)
        {
            h24 += 12;
        }
        else if (am && h24 == 12)
        {
            h24 = 0;
        }
        if (year is < 1900 or > 9000 || day > DateTime.DaysInMonth(year.Value, month.Value) || h24 > 23 || minute > 59)
        {
            return null;
        }
        var local = new DateTime(year.Value, month.Value, day.Value, h24, minute!.Value, Math.Min(second!.Value, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, offset);
    }

    private static DateTimeOffset? ParseIso(string text)
    {
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset iso))
        {
            return iso;
        }
        return null;
    }

    private static bool TryTime(string token, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        int dot = token.IndexOf('.');
        string[] parts = (dot > 0 ? token[..dot] : token).Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out hour)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minute)
            && (parts.Length == 2 || int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out second))
            && second <= 60;
    }

    private static int? MonthOf(string token)
    {
        if (token.Length < 3)
        {
            return null;
        }
        int index = Array.IndexOf(s_months, token[..3].ToLowerInvariant());
        return index < 0 ? null : index + 1;
    }

    /// <summary>"+0100", "-05:00", "+1"; anything out of range reads as UTC (RFC 5322's "-0000", no information).</summary>
    private static TimeSpan ZoneOffset(string token)
    {
        int sign = token[0] == '-' ? -1 : 1;
        string digits = token[1..].Replace(":", "");
        if (digits.Length > 4 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return TimeSpan.Zero;
        }
        (int hours, int minutes) = digits.Length <= 2 ? (value, 0) : (value / 100, value % 100);
        if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromMinutes(sign * (hours * 60 + minutes));
    }

    /// <summary>US zone names; "GMT+0100" style; every other name (military letters too) reads as UTC.</summary>
    private static TimeSpan NamedZone(string token)
    {
        int sign = token.IndexOfAny(['+', '-']);
        if (sign > 0)
        {
            return ZoneOffset(token[sign..]);
        }
        return s_zones.TryGetValue(token, out int hours) ? TimeSpan.FromHours(hours) : TimeSpan.Zero;
    }
}
