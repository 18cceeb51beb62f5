using Leadline.Intake;

namespace Leadline.Tests.Intake;

public class ContactNormalizerTests
{
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
