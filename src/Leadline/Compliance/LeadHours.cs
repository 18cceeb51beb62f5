using Leadline.Intake;
using Leadline.Tenants;

namespace Leadline.Compliance;

/// <summary>
/// When a text may reach a lead (PRODUCT.md 2.6): 8:00 to 21:00 in the lead's local time, unless the lead wrote in
/// the last 24 hours. The lead's time zone is the tenant's when the number is from the tenant's own country (the
/// tenant knows its area better than a country does), else the main time zone of the number's country, else the
/// tenant's.
/// </summary>
public static class LeadHours
{
    public static readonly TimeOnly Opens = new(8, 0);
    public static readonly TimeOnly Closes = new(21, 0);
    public static readonly TimeSpan RecentContact = TimeSpan.FromHours(24);

    private static readonly Dictionary<string, string> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = "America/Chicago", ["CA"] = "America/Toronto", ["GB"] = "Europe/London", ["IE"] = "Europe/Dublin",
        ["AU"] = "Australia/Sydney", ["NZ"] = "Pacific/Auckland", ["IN"] = "Asia/Kolkata", ["DE"] = "Europe/Berlin",
        ["FR"] = "Europe/Paris", ["ES"] = "Europe/Madrid", ["IT"] = "Europe/Rome", ["NL"] = "Europe/Amsterdam",
        ["BE"] = "Europe/Brussels", ["CH"] = "Europe/Zurich", ["AT"] = "Europe/Vienna", ["SE"] = "Europe/Stockholm",
        ["NO"] = "Europe/Oslo", ["DK"] = "Europe/Copenhagen", ["FI"] = "Europe/Helsinki", ["PT"] = "Europe/Lisbon",
        ["PL"] = "Europe/Warsaw", ["SA"] = "Asia/Riyadh", ["AE"] = "Asia/Dubai", ["QA"] = "Asia/Qatar",
        ["KW"] = "Asia/Kuwait", ["BH"] = "Asia/Bahrain", ["OM"] = "Asia/Muscat", ["EG"] = "Africa/Cairo",
        ["JO"] = "Asia/Amman", ["LB"] = "Asia/Beirut", ["MA"] = "Africa/Casablanca", ["TR"] = "Europe/Istanbul",
        ["ZA"] = "Africa/Johannesburg", ["MX"] = "America/Mexico_City", ["BR"] = "America/Sao_Paulo",
        ["SG"] = "Asia/Singapore", ["PK"] = "Asia/Karachi", ["NG"] = "Africa/Lagos", ["KE"] = "Africa/Nairobi",
    };

    public static TimeZoneInfo ZoneOf(string phone, TenantSettings tenant)
    {
        TimeZoneInfo tenantZone = tenant.Zone();
        if (ContactNormalizer.CallingCode(tenant.DefaultCountry) is { } own && phone.StartsWith("+" + own, StringComparison.Ordinal))
        {
            return tenantZone;
        }
        string? country = ContactNormalizer.CountriesOf(phone).FirstOrDefault();
        return country is not null && s_zones.TryGetValue(country, out string? zone)
            && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out TimeZoneInfo? z) ? z : tenantZone;
    }

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
