using Leadline.Mail;

namespace Leadline.Tests.Mail;

public sealed class EmailTextTests
{
    [Fact]
    public void GmailReplyHeaderAndQuoteAreTrimmed()
    {
        string text = """
            Yes, Tuesday at 10 works for me.

            On Mon, Jan 6, 2025 at 9:12 AM Acme Plumbing <hello@acme.example> wrote:
            > Hi Jordan, would Tuesday at 10 work?
            >
            > Best, Acme
            """;

        Assert.Equal("Yes, Tuesday at 10 works for me.", EmailText.NewContent(text));
    }

    [Fact]
    public void AReplyHeaderWrappedOverTwoLinesIsFound()
    {
        string text = """
            Sounds good.

            On Mon, Jan 6, 2025 at 9:12 AM Acme Plumbing Services <
            hello@acme.example> wrote:

            > Earlier text
            """;

        Assert.Equal("Sounds good.", EmailText.NewContent(text));
    }

    [Fact]
    public void AppleMailReplyIsTrimmed()
    {
        string text = """
            Great, see you then!

            Sent from my iPhone

            > On Jan 6, 2025, at 09:12, Acme <hello@acme.example> wrote:
            >
            > Tuesday at 10?
            """;

        Assert.Equal("Great, see you then!", EmailText.NewContent(text));
    }

    [Fact]
    public void OutlookOriginalMessageBlockIsTrimmed()
    {
        string text = """
            Please send the invoice.

            -----Original Message-----
            From: Acme <hello@acme.example>
            Sent: Monday, January 6, 2025 9:12 AM
            To: Jordan <jordan@example.com>
            Subject: Your quote
            """;

        Assert.Equal("Please send the invoice.", EmailText.NewContent(text));
    }

    [Fact]
    public void OutlookFromSentBlockWithoutMarkerIsTrimmed()
    {
        string text = """
            Thanks, we'll go ahead.

            ________________________________
            From: Acme Plumbing <hello@acme.example>
            Sent: Monday, January 6, 2025 9:12 AM
            To: Jordan Lee
            Subject: RE: Quote

            Hi Jordan, here is the quote.
            """;

        Assert.Equal("Thanks, we'll go ahead.", EmailText.NewContent(text));
    }

    [Fact]
    public void OutlookBlockWithBoldLabelsFromHtmlIsTrimmed()
    {
        string text = "Confirmed.\n\n*From:* Acme <hello@acme.example>\n*Sent:* Monday\n*Subject:* Quote\n\nOld text";

        Assert.Equal("Confirmed.", EmailText.NewContent(text));
    }

    [Theory]
    [InlineData("Le lun. 6 janv. 2025 à 09:12, Acme <hello@acme.example> a écrit :")]
    [InlineData("Am Mo., 6. Jan. 2025 um 09:12 Uhr schrieb Acme <hello@acme.example>:")]
    [InlineData("El lun, 6 ene 2025 a las 9:12, Acme (<hello@acme.example>) escribió:")]
    [InlineData("\u202Bفي الاثنين، 6 يناير 2025 في 9:12 ص، \u202AAcme\u202C\u200F <\u202Ahello@acme.example\u202C\u200F> كتب:\u202C")]
    [InlineData("2025-01-06 9:12 GMT+01:00 Acme <hello@acme.example> wrote:")]
    public void ReplyHeadersInOtherLanguagesAndFormsAreFound(string header)
    {
        string text = $"مرحبا، نعم الموعد مناسب.\n\n{header}\n> old";

        Assert.Equal("مرحبا، نعم الموعد مناسب.", EmailText.NewContent(text));
    }

    [Fact]
    public void TheSignatureDelimiterCutsTheSignature()
    {
        string text = "Can you come Friday?\n\n-- \nJordan Lee\nLee Dental | +1 555 0100";

        Assert.Equal("Can you come Friday?", EmailText.NewContent(text));
    }

    [Theory]
    [InlineData("Sent from my iPhone")]
    [InlineData("Sent from my Galaxy")]
    [InlineData("Get Outlook for Android")]
    [InlineData("Sent from Yahoo Mail on Android")]
    [InlineData("Envoyé de mon iPhone")]
    [InlineData("أرسلت من الـ iPhone")]
    public void MobileSignaturesAreCut(string signature) =>
        Assert.Equal("Is parking available?", EmailText.NewContent($"Is parking available?\n\n{signature}"));

    [Fact]
    public void InlineAnswersBetweenQuotesAreKept()
    {
        string text = "> Which day suits you?\nThursday\n> And what time?\nAfter 3pm";

        Assert.Equal("Thursday\nAfter 3pm", EmailText.NewContent(text));
    }

    [Fact]
    public void AReplyWrittenBelowTheQuoteIsKept()
    {
        string text = "On Mon, Jan 6, 2025 at 9:12 AM Acme <hello@acme.example> wrote:\n> Tuesday?\n\nTuesday is fine.";

        Assert.Equal("Tuesday is fine.", EmailText.NewContent(text));
    }

    [Fact]
    public void OnlyAQuoteFallsBackToTheWholeText()
    {
        string text = "> just a quote\n> nothing new";

        Assert.Equal(text, EmailText.NewContent(text));
    }

    [Fact]
    public void AForwardedMessageIsKept()
    {
        string text = """
            FYI, lead below.

            ---------- Forwarded message ---------
            From: Jordan Lee <jordan@example.com>
            Date: Mon, Jan 6, 2025 at 9:12 AM
            Subject: Quote request

            I need a quote for a bathroom.
            """;

        Assert.Equal(text, EmailText.NewContent(text));
    }

    [Fact]
    public void PlainProseIsUntouched()
    {
        string text = "Hello,\r\n\r\nHere is what my colleague wrote: we need 3 rooms painted.\r\nFrom: the first floor.\r\nThanks";

        Assert.Equal(text.Replace("\r\n", "\n"), EmailText.NewContent(text));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("   \n ", "")]
    [InlineData("--\nOnly a signature", "--\nOnly a signature")]
    public void NeverEmptyForContent(string? text, string expected) => Assert.Equal(expected, EmailText.NewContent(text));
}
