using Leadline.Mail;
using MimeKit;

namespace Leadline.Tests.Mail;

public sealed class FormNotificationTests
{
    [Fact]
    public void AnUnbounceStyleTextNotificationGivesTheLeadsFields()
    {
        MimeMessage message = RawMail.Parse("""
            From: Unbounce <notifications@unbounce.example>
            Reply-To: noreply@unbounce.example
            Subject: New lead from Coworking Landing Page

            You have a new lead from Coworking Landing Page.

            fname: Jordan
            email: jordan.lee@example.com
            phone_number: +1 (555) 123-4567
            what_kind_of_office_space_are_you_interested_in: Private Office
            message: Hi, we are a team of 4.
            We would like to visit next week.

            Page URL: https://cowork.example/landing
            Submitted: 2025-01-06 10:15 UTC
            """);

        Assert.True(FormNotification.TryParse(message, out FormNotification? form));
        Assert.Equal("Jordan", form.FirstName);
        Assert.Null(form.LastName);
        Assert.Equal("jordan.lee@example.com", form.Email);
        Assert.Equal("+1 (555) 123-4567", form.Phone);
        Assert.Equal("Hi, we are a team of 4.\nWe would like to visit next week.", form.Message);
        Assert.Equal("Private Office", form.Other["what_kind_of_office_space_are_you_interested_in"]);
        Assert.Equal("https://cowork.example/landing", form.Other["Page URL"]);
        Assert.Equal("2025-01-06 10:15 UTC", form.Other["Submitted"]);
    }

    [Fact]
    public void LabelVariantsAndMarkdownBoldAreRead()
    {
        string text = """
            New submission:

            **Full Name:** Jordan Lee
            **E-mail Address:** jordan@example.com <mailto:jordan@example.com>
            - Mobile: 555 123 4567
            * Company: Lee Dental
            __Service__: Teeth whitening
            How can we help?: Price for two people?
            """;

        Assert.True(FormNotification.TryParse(text, null, out FormNotification? form));
        Assert.Equal(
            ("Jordan", "Lee", "jordan@example.com", "555 123 4567", "Price for two people?", "Lee Dental"),
            (form.FirstName, form.LastName, form.Email, form.Phone, form.Message, form.Company));
        Assert.Equal("Teeth whitening", form.Other["Service"]);
    }

    [Fact]
    public void FirstAndLastNameFieldsWinOverSplittingTheName()
    {
        string text = "First Name: Mary Ann\nLast Name: van der Berg\nEmail: mary@example.com";

        Assert.True(FormNotification.TryParse(text, null, out FormNotification? form));
        Assert.Equal(("Mary Ann", "van der Berg"), (form.FirstName, form.LastName));
    }

    [Fact]
    public void AMessageOnTheLinesAfterItsLabelKeepsItsParagraphs()
    {
        string text = "Name: Sam\nTel: 0555 123 456\nComments:\nFirst paragraph.\n\nWhat we would like to know: the price.\n\n\nSent by FormMailer";

        Assert.True(FormNotification.TryParse(text, null, out FormNotification? form));
        Assert.Equal("First paragraph.\n\nWhat we would like to know: the price.", form.Message);
        Assert.Equal("0555 123 456", form.Phone);
    }

    [Fact]
    public void AnHtmlTableNotificationIsRead()
    {
        MimeMessage message = RawMail.Parse("""
            From: WordPress <wordpress@site.example>
            Content-Type: text/html; charset=utf-8

            <html><body><h1>New form entry</h1>
            <table>
            <tr><td><strong>Name</strong></td><td>Jordan Lee</td></tr>
            <tr><td><strong>Email</strong></td><td><a href="mailto:jordan@example.com">jordan@example.com</a></td></tr>
            <tr><td><strong>Phone Number</strong></td><td>+15551234567</td></tr>
            <tr><td><strong>Message</strong></td><td>Need a quote<br>for a kitchen.</td></tr>
            <tr><td><strong>Budget</strong></td><td>$10k</td></tr>
            </table></body></html>
            """);

        Assert.True(FormNotification.TryParse(message, out FormNotification? form));
        Assert.Equal(
            ("Jordan", "Lee", "jordan@example.com", "+15551234567", "Need a quote\nfor a kitchen."),
            (form.FirstName, form.LastName, form.Email, form.Phone, form.Message));
        Assert.Equal("$10k", form.Other["Budget"]);
    }

    [Fact]
    public void ArabicLabelsAreRead()
    {
        string text = "الاسم: أحمد علي\nالبريد الإلكتروني: ahmad@example.com\nالجوال: 0501234567\nالرسالة: أريد عرض سعر";

        Assert.True(FormNotification.TryParse(text, null, out FormNotification? form));
        Assert.Equal(("أحمد", "علي", "ahmad@example.com", "0501234567", "أريد عرض سعر"),
            (form.FirstName, form.LastName, form.Email, form.Phone, form.Message));
    }

    [Fact]
    public void ThePlainPartIsPreferredAndTheHtmlIsTheFallback()
    {
        Assert.True(FormNotification.TryParse("Thanks for your submission!", "<p>Name: Ana</p><p>Email: ana@example.com</p>", out FormNotification? form));
        Assert.Equal(("Ana", "ana@example.com"), (form.FirstName, form.Email));
    }

    [Fact]
    public void APersonalEmailIsNotAForm()
    {
        MimeMessage message = RawMail.Parse("""
            From: Jordan Lee <jordan@example.com>
            Subject: Quote

            Hi there,

            Note: we are flexible on dates. Could you quote a bathroom refit?
            Re: your ad in the paper.

            Thanks,
            Jordan Lee
            Phone: +1 555 123 4567
            Email: jordan@example.com
            """);

        Assert.False(FormNotification.TryParse(message, out FormNotification? form));
        Assert.Null(form);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Name: Jordan")]
    [InlineData("Email: not-an-address\nName: Jordan")]
    [InlineData("Meeting at 10:30: ok?\nhttps://example.com/a:b")]
    public void TextWithoutAContactAndADetailIsNotAForm(string text) =>
        Assert.False(FormNotification.TryParse(text, null, out _));

    [Fact]
    public void TheFormServicesOwnAddressIsNeverTheContact()
    {
        MimeMessage message = RawMail.Parse("""
            From: Forms <forms@service.example>
            Reply-To: forms@service.example

            Name: Jordan
            Phone: 555-123-4567
            """);

        Assert.True(FormNotification.TryParse(message, out FormNotification? form));
        Assert.Null(form.Email);
        Assert.Equal("555-123-4567", form.Phone);
    }
}
