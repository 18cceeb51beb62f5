using Leadline.Intake;

namespace Leadline.Tests.Intake;

public class PhonesTests
{
    [Theory]
    // The four a new user found: a trunk 0 after the country code, a country code written without its plus.
    [InlineData("+44 (0)20 7946 0958", "US", "+442079460958")]
    [InlineData("966501234567", "SA", "+966501234567")]
    // United States and Canada: four zones, with and without the leading 1.
    [InlineData("(212) 736-5000", "US", "+12127365000")]
    [InlineData("1-312-744-5000", "US", "+13127445000")]
    [InlineData("303.866.2471", "US", "+13038662471")]
    [InlineData("+1 213 978 0600", "SA", "+12139780600")]
    [InlineData("416-338-0338", "CA", "+14163380338")]
    [InlineData("+1 (555) 123-4567", "US", "+15551234567")]
    // Saudi Arabia: national, international with 00, Arabic-Indic digits.
    [InlineData("050 123 4567", "SA", "+966501234567")]
    [InlineData("00966501234567", "US", "+966501234567")]   // 00 is not the US exit code, but it is most countries'
    [InlineData("011 966 50 123 4567", "US", "+966501234567")]
    [InlineData("٠٥٠١٢٣٤٥٦٧", "SA", "+966501234567")]
    [InlineData("+966 11 401 1111", "US", "+966114011111")]
    // Other countries, each in its own national form.
    [InlineData("07700 900123", "GB", "+447700900123")]
    [InlineData("030 901820", "DE", "+4930901820")]
    [InlineData("01 42 68 53 00", "FR", "+33142685300")]
    [InlineData("03-3224-9999", "JP", "+81332249999")]
    [InlineData("(11) 3003-3030", "BR", "+551130033030")]
    [InlineData("0803 123 4567", "NG", "+2348031234567")]
    [InlineData("8 (495) 123-45-67", "RU", "+74951234567")]
    [InlineData("(02) 9374 4000", "AU", "+61293744000")]
    [InlineData("04 362 7500", "AE", "+97143627500")]
    [InlineData("098765 43210", "IN", "+919876543210")]
    [InlineData("55 5080 2000", "MX", "+525550802000")]
    public void NumbersAreReadInTheTenantsCountryAndStoredInE164(string raw, string country, string expected) =>
        Assert.Equal(expected, Phones.ToE164(raw, country));

    [Theory]
    [InlineData("call me", "US")]
    [InlineData("123", "US")]
    [InlineData("+1 555 123", "US")]
    [InlineData("555-1234", "US")]                    // possible only locally: no area code, cannot be texted
    [InlineData("+44 20 79", "GB")]
    [InlineData("+966 50 123 4567 8901", "SA")]
    [InlineData("", "US")]
    public void ImpossibleNumbersAreRefused(string raw, string country) =>
        Assert.Null(Phones.ToE164(raw, country));

    [Theory]
    [InlineData("+1 (212) 736-5000", "+12127365000")]
    [InlineData("+7 495 123 45 67", "+74951234567")]
    [InlineData("2127365000", null)]
    [InlineData("+1 555", null)]
    public void ConfigurationNumbersMustBeInternational(string raw, string? expected) =>
        Assert.Equal(expected, Phones.International(raw));

    [Theory]
    [InlineData("+12127365000", "America/New_York")]
    [InlineData("+13127445000", "America/Chicago")]
    [InlineData("+13038662471", "America/Denver")]
    [InlineData("+12139780600", "America/Los_Angeles")]
    [InlineData("+14163380338", "America/Toronto")]
    [InlineData("+442079460958", "Europe/London")]
    [InlineData("+966501234567", "Asia/Riyadh")]
    [InlineData("+4930901820", "Europe/Berlin")]
    [InlineData("+33142685300", "Europe/Paris")]
    [InlineData("+81332249999", "Asia/Tokyo")]
    [InlineData("+551130033030", "America/Sao_Paulo")]
    [InlineData("+2348031234567", "Africa/Lagos")]
    [InlineData("+74951234567", "Europe/Moscow")]
    [InlineData("+61293744000", "Australia/Sydney")]
    [InlineData("+97143627500", "Asia/Dubai")]
    [InlineData("whatsapp:+966501234567", "Asia/Riyadh")]
    public void ANumberWithOneZoneIsInThatZone(string e164, string zone) => Assert.Equal(zone, Phones.ZoneOf(e164));

    [Theory]
    [InlineData("+18002345678")]                      // US toll-free: anywhere from Hawaii to Maine
    [InlineData("+79161234567")]                      // a Russian mobile: any of eleven zones
    [InlineData("+447911123456")]                     // a UK mobile: London, Jersey, Guernsey or the Isle of Man
    [InlineData("+15551234567")]                      // not a real area code
    [InlineData(null)]
    public void ANumberWithSeveralZonesOrNoneHasNoneOfItsOwn(string? e164) => Assert.Null(Phones.ZoneOf(e164));

    [Theory]
    [InlineData("RU")]
    [InlineData("ng")]
    [InlineData("BR")]
    [InlineData("JP")]
    [InlineData("VN")]
    public void EveryRegionLibphonenumberKnowsIsACountry(string code) => Assert.True(Phones.IsRegion(code));

    [Theory]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("")]
    public void OtherCodesAreNot(string code) => Assert.False(Phones.IsRegion(code));

    [Fact]
    public void TheListOfCountriesIsLibphonenumbersNotAShortOne() => Assert.True(Phones.Regions.Count > 200);

    [Theory]
    [InlineData("whatsapp:+15551234567", "+15551234567", true)]
    [InlineData("WhatsApp:+15551234567", "+15551234567", true)]
    [InlineData("+15551234567", "+15551234567", false)]
    public void AWhatsAppPrefixIsRecognised(string address, string number, bool whatsApp) =>
        Assert.Equal((number, whatsApp), Phones.WithoutWhatsAppPrefix(address));
}
