using Leadline.Intake;
using Leadline.Tenants;

namespace Leadline.Compliance;

/// <summary>
/// When a text or a call may reach a lead (PRODUCT.md 2.6): 8:00 to 21:00 in the lead's local time, unless the lead
/// wrote in the last 24 hours. The lead's time zone is the one its number belongs to when the number has exactly one
/// (+1 213 is Los Angeles even for a New York business, +1 416 is Toronto); a number spread over several zones (a US
/// mobile, a whole country such as Russia) or none is taken to be in the tenant's zone, since most leads live near
/// the business they write to.
/// </summary>
public static class LeadHours
{
    public static readonly TimeOnly Opens = new(8, 0);
    public static readonly TimeOnly Closes = new(21, 0);
    public static readonly TimeSpan RecentContact = TimeSpan.FromHours(24);

    /// <summary>The lead's time zone: the number's own, else the tenant's.</summary>
    public static TimeZoneInfo ZoneOf(string? phone, TenantSettings tenant) => Zone(Phones.ZoneOf(phone), tenant);

    /// <summary>
    /// The zone named by a lead's stored <c>timezone</c> (the number's own zone, written at intake), else the tenant's;
    /// rows from before the column existed have null and get the zone of their number.
    /// </summary>
    public static TimeZoneInfo Zone(string? leadZone, TenantSettings tenant) =>
        leadZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(leadZone, out TimeZoneInfo? zone) ? zone : tenant.Zone();

    /// <summary>Null when a text may go now; otherwise the next 8:00 in <paramref name="zone"/>.</summary>
    public static DateTimeOffset? NextWindow(DateTimeOffset now, TimeZoneInfo zone, DateTimeOffset? leadLastWrote)
    {
        if (leadLastWrote is { } wrote && now - wrote < RecentContact)
        {
            return null;
        }
        DateTime local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        TimeOnly time = TimeOnly.FromDateTime(local);
        if (time >= Opens && time < Closes)
        {
            return null;
        }
        DateTime opening = local.Date + Opens.ToTimeSpan();
        if (time >= Closes)
        {
            opening = opening.AddDays(1);
        }
        return new DateTimeOffset(opening, zone.GetUtcOffset(opening));
    }
}
