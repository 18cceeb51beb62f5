using System.Collections.Frozen;
using PhoneNumbers;

namespace Leadline.Intake;

/// <summary>
/// The one place that reads phone numbers (libphonenumber): every number a lead, an owner, a tenant's Twilio account
/// or the configuration gives is parsed here, stored in E.164 and mapped to its time zone here.
/// </summary>
public static class Phones
{
    private static readonly PhoneNumberUtil s_util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper s_zones = PhoneNumberToTimeZonesMapper.GetInstance();

    /// <summary>The ISO 3166 alpha-2 regions a tenant may name as its default country (about 245).</summary>
    public static readonly FrozenSet<string> Regions = s_util.GetSupportedRegions().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public const string WhatsAppPrefix = "whatsapp:";

    // libphonenumber's region for "no default": only numbers written with + and their country code parse.
    private const string UnknownRegion = "ZZ";

    /// <summary>True for a region libphonenumber knows, in any letter case ("ru" is Russia).</summary>
    public static bool IsRegion(string? code) => code is not null && Regions.Contains(code);

    /// <summary>
    /// The number in E.164, reading it in <paramref name="defaultRegion"/> when it has no country code (so "050 123 4567"
    /// is Saudi for a Saudi tenant, and "966501234567" there is the same number with its country code written without
    /// a plus); null when it cannot be a phone number. A national trunk prefix written after the country code, as in
    /// "+44 (0)20 7946 0958", is dropped. Only numbers whose length is possible for their country pass: a number that
    /// is merely "possible locally" (seven US digits without the area code) cannot be texted and is refused. A number
    /// starting 00 that does not read in the tenant's country is read as international, since 00 is the exit code of
    /// most of the world and leads abroad type it (a US tenant's "00966 50 123 4567" is Saudi).
    /// </summary>
    public static string? ToE164(string? value, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string trimmed = value.Trim();
        PhoneNumber? number = Parse(trimmed, IsRegion(defaultRegion) ? defaultRegion.ToUpperInvariant() : "US");
        if (number is null && trimmed.StartsWith("00", StringComparison.Ordinal))
        {
            number = Parse("+" + trimmed[2..], UnknownRegion);
        }
        return number is null ? null : s_util.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>
    /// A number that must already be international (configuration, a tenant's Twilio numbers): "+" and the country
    /// code; spaces, dashes, dots and brackets are allowed. Null when it is not such a number.
    /// </summary>
    public static string? International(string? value)
    {
        string? trimmed = value?.Trim();
        if (trimmed is not { Length: > 1 } || trimmed[0] != '+')
        {
            return null;
        }
        PhoneNumber? number = Parse(trimmed, UnknownRegion);
        return number is null ? null : s_util.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>
    /// The number without a <c>whatsapp:</c> address prefix, and whether it had one; Twilio writes WhatsApp senders
    /// and recipients as <c>whatsapp:+15551234567</c>.
    /// </summary>
    public static (string Number, bool WhatsApp) WithoutWhatsAppPrefix(string value) =>
        value.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase)
            ? (value[WhatsAppPrefix.Length..], true)
            : (value, false);

    /// <summary>
    /// The IANA time zone of an E.164 number when the number has exactly one (+1 212 is America/New_York, +966 is
    /// Asia/Riyadh); null when it has several (a US mobile can be anywhere in the country's zones) or none that this
    /// machine knows, so the caller falls back to the tenant's zone.
    /// </summary>
    public static string? ZoneOf(string? e164)
    {
        if (string.IsNullOrEmpty(e164) || Parse(WithoutWhatsAppPrefix(e164).Number, UnknownRegion) is not { } number)
        {
            return null;
        }
        IList<string> zones = s_zones.GetTimeZonesForNumber(number);
        if (zones.Count != 1 || zones[0] == s_zones.GetUnknownTimeZone())
        {
            return null;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(zones[0], out _) ? zones[0] : null;
    }

    private static PhoneNumber? Parse(string value, string region)
    {
        try
        {
            PhoneNumber number = s_util.Parse(value.Trim(), region);
            return s_util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE ? number : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
