using Leadline.Intake;

namespace Leadline.Tests.Intake;

public class ContactNormalizerTests
{
    [Theory]
    [InlineData("+1 (555) 123-4567", "US", "+15551234567")]
    [InlineData("555.123.4567", "US", "+15551234567")]
    [InlineData("1-555-123-4567", "US", "+15551234567")]
    [InlineData("050 123 4567", "SA", "+966501234567")]
    [InlineData("00966501234567", "US", "+966501234567")]
    [InlineData("٠٥٠١٢٣٤٥٦٧", "SA", "+966501234567")]
    [InlineData("07700 900123", "GB", "+447700900123")]
    public void PhoneNumbersBecomeE164(string raw, string country, string expected) =>
        Assert.Equal(expected, ContactNormalizer.Phone(raw, country));

    [Theory]
    [InlineData("call me")]
    [InlineData("123")]
    [InlineData("+1 555 123")]
    [InlineData("")]
    public void ThingsThatAreNotPhoneNumbersAreRejected(string raw) =>
        Assert.Null(ContactNormalizer.Phone(raw, "US"));

    [Theory]
    [InlineData("Jordan.Lee@Example.COM", "jordan.lee@example.com")]
    [InlineData("  a@b.co ", "a@b.co")]
    public void EmailsAreTrimmedAndLowerCased(string raw, string expected) =>
        Assert.Equal(expected, ContactNormalizer.Email(raw));

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("Jordan <j@example.com>")]
    [InlineData("a@localhost")]
    public void InvalidEmailsAreRejected(string raw) => Assert.Null(ContactNormalizer.Email(raw));

    [Fact]
    public void FingerprintsIgnoreCaseSpacingAndPunctuation()
    {
        Assert.Equal(ContactNormalizer.Fingerprint("Need a quote!"), ContactNormalizer.Fingerprint("  need   a QUOTE "));
        Assert.NotEqual(ContactNormalizer.Fingerprint("Need a quote"), ContactNormalizer.Fingerprint("Need a quote today"));
        Assert.Equal(ContactNormalizer.Fingerprint("ميزانيتي ٨٠٠ ألف"), ContactNormalizer.Fingerprint("ميزانيتي 800 ألف"));
    }
}
