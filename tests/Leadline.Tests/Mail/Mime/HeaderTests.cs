using System.Text;
using Leadline.Mail.Mime;

namespace Leadline.Tests.Mail.Mime;

public sealed class HeaderTests
{
    [Fact]
    public void FoldedHeadersAreUnfolded()
    {
        MimeMessage message = RawMail.Parse("""
            From: jordan@example.com
            Subject: A question about
             your prices
            	and your hours
            X-Long: one
              two

            Hi
            """);

        Assert.Equal("A question about your prices and your hours", message.Subject);
        Assert.Equal("one  two", message.Headers.Get("x-long"));
    }

    [Theory]
    [InlineData("=?UTF-8?B?2YXYsdit2KjYpw==?=", "مرحبا")]
    [InlineData("=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait")]
    [InlineData("=?ISO-8859-1?Q?Caf=E9_cr=E8me?=", "Café crème")]
    [InlineData("=?windows-1256?B?x+HU0cfB?=", "الشراء")]
    [InlineData("Re: =?utf-8?B?Q2Fmw6k=?= and more", "Re: Café and more")]
    [InlineData("=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab")]
    [InlineData("=?utf-8?Q?a?=\t  =?iso-8859-1?Q?=E9?=", "aé")]
    [InlineData("=?utf-8?Q?a?= plain =?utf-8?Q?b?=", "a plain b")]
    [InlineData("=?utf-8*en?Q?hello?=", "hello")]
    public void EncodedWordsAreDecoded(string raw, string decoded) => Assert.Equal(decoded, EncodedWords.Decode(raw));

    [Fact]
    public void AMultiByteCharacterSplitAcrossEncodedWordsIsRejoined()
    {
        // "é" is C3 A9 in UTF-8; some mailers cut encoded words between the two bytes.
        Assert.Equal("café", EncodedWords.Decode("=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?="));
    }

    [Theory]
    [InlineData("=?utf-8?X?abc?=")]
    [InlineData("=?utf-8?B?not base64?=")]
    [InlineData("=?utf-8?Q?unterminated")]
    [InlineData("=??Q?abc?=")]
    [InlineData("price =? 10")]
    public void MalformedEncodedWordsStayAsText(string raw) => Assert.Equal(raw, EncodedWords.Decode(raw));

    [Fact]
    public void AnUnknownCharsetInAnEncodedWordFallsBackToUtf8()
    {
        Assert.Equal("café", EncodedWords.Decode("=?x-no-such-charset?Q?caf=C3=A9?="));
        Assert.Equal("café", EncodedWords.Decode("=?x-no-such-charset?Q?caf=E9?="));
    }

    [Fact]
    public void AddressListsReadNamesQuotesCommentsAndGroups()
    {
        IReadOnlyList<MailboxAddress> list = MailboxAddress.ParseList(
            "\"Lee, Jordan\" <jordan@example.com>, Sam Smith <sam@example.org>, pat@example.net (Pat Doe), "
            + "Team: ana@example.com, \"Bo \\\"B\\\" Li\" <bo@example.com>;, undisclosed-recipients:;, =?utf-8?Q?J=C3=B6rg?= <jorg@example.de>");

        Assert.Equal(
            [
                new MailboxAddress("Lee, Jordan", "jordan@example.com"),
                new MailboxAddress("Sam Smith", "sam@example.org"),
                new MailboxAddress("Pat Doe", "pat@example.net"),
                new MailboxAddress("", "ana@example.com"),
                new MailboxAddress("Bo \"B\" Li", "bo@example.com"),
                new MailboxAddress("Jörg", "jorg@example.de"),
            ],
            list);
    }

    [Theory]
    [InlineData("jordan@example.com", "", "jordan@example.com")]
    [InlineData("<jordan@example.com>", "", "jordan@example.com")]
    [InlineData("Jordan Lee jordan@example.com", "Jordan Lee", "jordan@example.com")]
    [InlineData("'Jordan Lee' <jordan@example.com>", "Jordan Lee", "jordan@example.com")]
    [InlineData("\"=?utf-8?B?2KzZiNix2K/Yp9mG?=\" <j@example.com>", "جوردان", "j@example.com")]
    [InlineData("Jordan <@relay.example:jordan@example.com>", "Jordan", "jordan@example.com")]
    [InlineData("Jordan (sales) <jordan@example.com>", "Jordan", "jordan@example.com")]
    [InlineData("Jordan <jordan@example.com", "Jordan", "jordan@example.com")]
    public void SingleAddressesInTheFormsMailersWrite(string raw, string name, string address) =>
        Assert.Equal(new MailboxAddress(name, address), MailboxAddress.Parse(raw));

    [Fact]
    public void SemicolonsSeparateAddressesOutsideGroups()
    {
        IReadOnlyList<MailboxAddress> list = MailboxAddress.ParseList("a@example.com; B <b@example.com>");

        Assert.Equal(["a@example.com", "b@example.com"], list.Select(a => a.Address));
    }

    [Fact]
    public void MessageHeadersExposeAddressesIdsAndReplyAddress()
    {
        MimeMessage message = RawMail.Parse("""
            From: Form Service <noreply@forms.example>
            Reply-To: Jordan Lee <jordan@example.com>
            To: sales@biz.example, "Owner" <owner@biz.example>
            Cc: Pat <pat@example.com>
            Sender: relay@forms.example
            Message-ID: <abc.123@forms.example>
            In-Reply-To: <first@biz.example> (Jordan's message)
            References: <root@biz.example>
             <first@biz.example>
            	<second@biz.example>

            Hello
            """);

        Assert.Equal(new MailboxAddress("Form Service", "noreply@forms.example"), Assert.Single(message.From));
        Assert.Equal(new MailboxAddress("Jordan Lee", "jordan@example.com"), message.ReplyAddress);
        Assert.Equal(["sales@biz.example", "owner@biz.example"], message.To.Select(a => a.Address));
        Assert.Equal("pat@example.com", Assert.Single(message.Cc).Address);
        Assert.Equal("relay@forms.example", message.Sender?.Address);
        Assert.Equal("abc.123@forms.example", message.MessageId);
        Assert.Equal(["first@biz.example"], message.InReplyTo);
        Assert.Equal(["root@biz.example", "first@biz.example", "second@biz.example"], message.References);
    }

    [Fact]
    public void MessageIdsWithoutBracketsAndFoldedInsideAreRead()
    {
        MimeMessage message = RawMail.Parse("""
            Message-ID: bare.id@example.com
            References: <long.id.
             continued@example.com>

            Hi
            """);

        Assert.Equal("bare.id@example.com", message.MessageId);
        Assert.Equal(["long.id.continued@example.com"], message.References);
    }

    [Theory]
    [InlineData("Mon, 6 Jan 2025 10:15:30 +0100", "2025-01-06T10:15:30+01:00")]
    [InlineData("6 Jan 2025 10:15 -0500", "2025-01-06T10:15:00-05:00")]
    [InlineData("Mon,  6 Jan 25 10:15:30 EST", "2025-01-06T10:15:30-05:00")]
    [InlineData("Sun, 05 Jan 1997 23:59:59 GMT", "1997-01-05T23:59:59+00:00")]
    [InlineData("Thu, 13 Feb 97 09:00:00 PDT", "1997-02-13T09:00:00-07:00")]
    [InlineData("Fri, 21 Nov 1997 09:55:06 -0600 (MDT)", "1997-11-21T09:55:06-06:00")]
    [InlineData("Fri, 21 Nov 1997 09:55:06 Z", "1997-11-21T09:55:06+00:00")]
    [InlineData("Mon Jan  6 10:15:30 2025", "2025-01-06T10:15:30+00:00")]
    [InlineData("Monday, 6 January 2025 10:15:30 +0100", "2025-01-06T10:15:30+01:00")]
    [InlineData("Mon, 6 Jan 2025 10:15:30 +01:00", "2025-01-06T10:15:30+01:00")]
    [InlineData("Mon, 6 Jan 2025 10:15:60 +0000", "2025-01-06T10:15:59+00:00")]
    [InlineData("2025-01-06T10:15:30Z", "2025-01-06T10:15:30+00:00")]
    public void DatesInModernAndObsoleteForms(string raw, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), MailDate.Parse(raw));

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Mon, 31 Feb 2025 10:00:00 +0000")]
    [InlineData("Mon, 6 Foo 2025 10:00:00 +0000")]
    [InlineData("Mon, 6 Jan 2025 25:00:00 +0000")]
    [InlineData("Mon, 6 Jan 2025")]
    public void UnreadableDatesAreNull(string raw) => Assert.Null(MailDate.Parse(raw));

    [Fact]
    public void AnOutOfRangeZoneReadsAsUtc() =>
        Assert.Equal(TimeSpan.Zero, MailDate.Parse("Mon, 6 Jan 2025 10:00:00 +9999")?.Offset);

    [Fact]
    public void ContentTypeParametersAreQuotedUnquotedAndCaseInsensitive()
    {
        ContentType type = ContentType.Parse("Text/HTML; CHARSET=\"UTF-8\"; format=flowed (comment); name=\"a \\\"b\\\".html\"");

        Assert.Equal("text/html", type.MimeType);
        Assert.Equal("UTF-8", type.Charset);
        Assert.Equal("flowed", type.Parameters["Format"]);
        Assert.Equal("a \"b\".html", type.Name);
    }

    [Fact]
    public void Rfc2231ContinuationsAndCharsetsAreJoined()
    {
        ContentType type = ContentType.Parse(
            "application/pdf; name*0*=utf-8''%D8%B9%D8%B1%D8%B6; name*1*=%20%D8%B3%D8%B9%D8%B1; name*2=\".pdf\"; "
            + "title*0=\"A long \"; title*1=\"title\"");
        ContentDisposition? disposition = ContentDisposition.Parse("attachment; filename*=iso-8859-1'fr'caf%E9.txt; filename=\"cafe.txt\"");

        Assert.Equal("عرض سعر.pdf", type.Name);
        Assert.Equal("A long title", type.Parameters["title"]);
        Assert.True(disposition?.IsAttachment);
        Assert.Equal("café.txt", disposition?.FileName);
    }

    [Fact]
    public void EncodedWordsInsideQuotedParametersAreDecoded()
    {
        ContentDisposition? disposition = ContentDisposition.Parse("attachment; filename=\"=?utf-8?B?2LnYsdi2LnBkZg==?=\"");

        Assert.Equal("عرض.pdf", disposition?.FileName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text")]
    [InlineData("garbage ; charset=utf-8")]
    public void AMissingOrUnreadableContentTypeIsTextPlain(string? raw) =>
        Assert.Equal("text/plain", ContentType.Parse(raw).MimeType);

    [Fact]
    public void RawUtf8HeadersAreRead()
    {
        MimeMessage message = MimeMessage.Parse(Encoding.UTF8.GetBytes("From: جوردان <j@example.com>\r\nSubject: مرحبا\r\n\r\nhi"));

        Assert.Equal("مرحبا", message.Subject);
        Assert.Equal("جوردان", message.From[0].Name);
    }

    [Fact]
    public void RawEightBitHeadersUseTheBodysCharset()
    {
        byte[] head = Encoding.ASCII.GetBytes("Subject: ");
        byte[] subject = RawMail.Windows1256.GetBytes("طلب عرض سعر");
        byte[] rest = Encoding.ASCII.GetBytes("\r\nContent-Type: text/plain; charset=windows-1256\r\n\r\nhi");

        MimeMessage message = MimeMessage.Parse([.. head, .. subject, .. rest]);

        Assert.Equal("طلب عرض سعر", message.Subject);
    }

    [Fact]
    public void AnIso88591SubjectInAQuotedPrintableWordReadsRight()
    {
        MimeMessage message = RawMail.Parse("""
            Subject: =?ISO-8859-1?Q?Demande_de_devis_pour_un_caf=E9?=
             =?ISO-8859-1?Q?_=E0_Montr=E9al?=

            Bonjour
            """);

        Assert.Equal("Demande de devis pour un café à Montréal", message.Subject);
    }
}
