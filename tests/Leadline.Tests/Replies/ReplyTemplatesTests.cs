using Leadline.Replies;

namespace Leadline.Tests.Replies;

public sealed class ReplyTemplatesTests
{
    [Fact]
    public void TheDefaultReplyHasGreetingAnswerBookingLinkAndSignature()
    {
        var context = TestReplies.Context("How much is a cleaning?");
        string text = ReplyTemplates.RenderReply(context, "en", "A cleaning is $120.");
        Assert.Equal($"Hi Jordan,\n\nA cleaning is $120.\n\nYou can book a time that suits you here: {TestReplies.BookingLink}\n\nMaya at Bright Smile", text);
    }

    [Theory]
    [InlineData("formal", "Dear Jordan,", "Please book a convenient time here")]
    [InlineData("casual", "Hey Jordan!", "Grab a time that works for you")]
    [InlineData("friendly", "Hi Jordan,", "You can book a time that suits you here")]
    public void TheToneStylePicksTheGreetingAndCallToAction(string style, string greeting, string cta)
    {
        var settings = TestReplies.Settings() with { Tone = new() { Style = style } };
        string text = ReplyTemplates.RenderReply(TestReplies.Context("hi", settings), "en", "Answer.");
        Assert.StartsWith(greeting, text);
        Assert.Contains(cta, text);
        Assert.EndsWith("Bright Smile Dental", text);
    }

    [Fact]
    public void WithoutABookingLinkTheFallbackSaysAPersonWillFollowUp()
    {
        var context = TestReplies.Context("hi", TestReplies.Settings(bookingLink: null));
        ReplyDraft fallback = ReplyTemplates.Fallback(context, "en", 0, "offline");
        Assert.True(fallback.Fallback);
        Assert.Empty(fallback.FaqIds);
        Assert.Contains("will follow up", fallback.Text);
        Assert.DoesNotContain("http", fallback.Text);
    }

    [Fact]
    public void TheArabicFallbackIsInArabicWithTheLink()
    {
        ReplyDraft fallback = ReplyTemplates.Fallback(TestReplies.Context("مرحبا", firstName: null), "ar", 0, "offline");
        Assert.StartsWith("مرحباً،", fallback.Text);
        Assert.Contains("شكراً لتواصلك مع Bright Smile Dental", fallback.Text);
        Assert.Contains(TestReplies.BookingLink, fallback.Text);
        Assert.Equal("ar", fallback.Language);
    }

    [Fact]
    public void ATenantTemplateOverridesTheDefaultAndNothingIsHtmlEscaped()
    {
        var settings = TestReplies.Settings() with
        {
            BusinessName = "Smith & Sons",
            Templates = new() { ["reply.en"] = "{{answer}} Book with {{business_name}}: {{booking_link}}" },
        };
        string text = ReplyTemplates.RenderReply(TestReplies.Context("hi", settings), "en", "Open <9am>.");
        Assert.Equal($"Open <9am>. Book with Smith & Sons: {TestReplies.BookingLink}", text);
    }

    [Theory]
    [InlineData("Jordan", "Jordan")]
    [InlineData("  Mary Ann ", "Mary")]
    [InlineData("Zoë", "Zoë")]
    [InlineData("أحمد", "أحمد")]
    [InlineData("visit evil.com", "visit")]
    [InlineData("R2D2", null)]
    [InlineData("http://evil.example", null)]
    [InlineData(null, null)]
    public void OnlyALettersOnlyFirstNameGoesIntoTheGreeting(string? given, string? used) =>
        Assert.Equal(used, ReplyTemplates.SafeFirstName(given));

    [Theory]
    [InlineData("reply.en", "{{greeting}} {{answer}} {{cta}}", null)]
    [InlineData("fallback.ar", "{{thanks}} {{booking_link}}", null)]
    [InlineData("reply.en", "{{#if booking_link}}{{answer}} {{cta}}{{else}}{{answer}}{{/if}}", null)]
    [InlineData("reply.en", "{{answer}} {{#if booking_link}}{{cta}}", "source")]
    [InlineData("reply.en", "{{answer}} {{cta}} {{bookng_link}}", "source")]
    [InlineData("reply.en", "{{greeting}} {{answer}}", "source")]
    [InlineData("reply.en", "{{greeting}} {{cta}}", "source")]
    [InlineData("welcome.en", "{{answer}} {{cta}}", "name")]
    [InlineData("reply.en", "", "source")]
    public void ATemplateMustCompileUseKnownPlaceholdersAndCarryTheBookingLink(string name, string source, string? badField)
    {
        var errors = ReplyTemplates.Validate(name, source);
        if (badField is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.True(errors.ContainsKey(badField), $"expected an error on '{badField}', got: {string.Join("; ", errors.Select(e => e.Key + ": " + e.Value[0]))}");
        }
    }
}
