using System.Text;
using Leadline.Mail.Mime;

namespace Leadline.Tests.Mail.Mime;

public sealed class BodyTests
{
    [Fact]
    public void APlainMessageHasItsTextWithLineFeeds()
    {
        MimeMessage message = RawMail.Parse("""
            From: jordan@example.com
            Subject: Hi

            Do you work weekends?
            Thanks
            """);

        Assert.Equal("Do you work weekends?\nThanks", message.TextBody);
        Assert.Null(message.HtmlBody);
        Assert.Equal("Do you work weekends?\nThanks", message.BestText);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void MultipartAlternativePrefersThePlainPart()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/alternative; boundary="alt"

            This is the preamble, ignored.
            --alt
            Content-Type: text/plain; charset=utf-8

            Plain version
            --alt
            Content-Type: text/html; charset=utf-8

            <p>HTML <b>version</b></p>
            --alt--
            Epilogue, ignored.
            """);

        Assert.Equal("Plain version", message.TextBody);
        Assert.Equal("<p>HTML <b>version</b></p>", message.HtmlBody);
        Assert.Equal("Plain version", message.BestText);
    }

    [Fact]
    public void NestedMixedAlternativeRelatedWithAnAttachment()
    {
        MimeMessage message = RawMail.Parse($"""
            Content-Type: multipart/mixed; boundary="mixed"

            --mixed
            Content-Type: multipart/alternative; boundary="mixed-alt"

            --mixed-alt
            Content-Type: text/plain; charset=us-ascii

            See the photo of the leak.
            --mixed-alt
            Content-Type: multipart/related; boundary="rel"; type="text/html"

            --rel
            Content-Type: text/html; charset=utf-8

            <p>See the photo of the leak.</p><img src="cid:leak@x">
            --rel
            Content-Type: image/png
            Content-Transfer-Encoding: base64
            Content-ID: <leak@x>

            {RawMail.Base64(new byte[300])}
            --rel--

            --mixed-alt--

            --mixed
            Content-Type: application/pdf; name="quote.pdf"
            Content-Disposition: attachment; filename="quote.pdf"
            Content-Transfer-Encoding: base64

            {RawMail.Base64(Encoding.ASCII.GetBytes("%PDF-1.4 fake"))}
            --mixed--
            """);

        Assert.Equal("See the photo of the leak.", message.TextBody);
        Assert.Equal("<p>See the photo of the leak.</p><img src=\"cid:leak@x\">", message.HtmlBody);
        Assert.Collection(
            message.Attachments,
            image => Assert.Equal(new MimeAttachment(null, "image/png", 300, true, "leak@x", null), image),
            pdf => Assert.Equal(new MimeAttachment("quote.pdf", "application/pdf", 13, false, null, null), pdf));
    }

    [Fact]
    public void AttachmentBytesAreDecodedOnlyWhenAsked()
    {
        string raw = $"""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            Invoice attached.
            --b
            Content-Type: application/octet-stream; name="C:\\Users\\jo\\invoice.bin"
            Content-Transfer-Encoding: base64

            {RawMail.Base64([1, 2, 3, 4, 5])}
            --b--
            """;

        MimeAttachment measured = Assert.Single(RawMail.Parse(raw).Attachments);
        MimeAttachment decoded = Assert.Single(MimeMessage.Parse(RawMail.Crlf(raw), new MimeParseOptions { DecodeAttachments = true }).Attachments);

        Assert.Equal(("invoice.bin", 5L), (measured.FileName, measured.Size));
        Assert.Null(measured.Content);
        Assert.Equal([1, 2, 3, 4, 5], decoded.Content);
    }

    [Fact]
    public void QuotedPrintableSoftBreaksEscapesAndTrailingSpaces()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            I would like a quote for a caf=C3=A9 renovation, about 40 m=C2=B2, starting =
            next month.   
            Price =3D budget=3d 5000.
            """);

        Assert.Equal("I would like a quote for a café renovation, about 40 m², starting next month.\nPrice = budget= 5000.", message.TextBody);
    }

    [Fact]
    public void QuotedPrintableKeepsBadEscapesAsText()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: text/plain
            Content-Transfer-Encoding: Quoted-Printable

            50% =ZZ off =
            """);

        Assert.Equal("50% =ZZ off ", message.TextBody);
    }

    [Theory]
    [InlineData("windows-1256")]
    [InlineData("cp1256")]
    [InlineData("utf-8")]
    public void Base64ArabicInWindows1256AndUtf8(string charset)
    {
        const string text = "مرحبا، أريد حجز موعد يوم الأحد.\nشكرا";
        Encoding encoding = charset == "utf-8" ? Encoding.UTF8 : RawMail.Windows1256;
        MimeMessage message = RawMail.Parse($"""
            Content-Type: text/plain; charset="{charset}"
            Content-Transfer-Encoding: base64

            {RawMail.Base64(encoding.GetBytes(text.ReplaceLineEndings("\r\n")))}
            """);

        Assert.Equal(text, message.TextBody);
    }

    [Fact]
    public void Latin1AndWindows1252BodiesInEightBit()
    {
        byte[] head = Encoding.ASCII.GetBytes("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        byte[] body = RawMail.Windows1252.GetBytes("Crème brûlée \u20ac5 \u201cquoted\u201d");

        MimeMessage message = MimeMessage.Parse([.. head, .. body]);

        Assert.Equal("Crème brûlée \u20ac5 \u201cquoted\u201d", message.TextBody);
    }

    [Fact]
    public void AnHtmlOnlyMessageGivesReadableBestText()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            <html><head><style>p {color: red}</style><title>x</title></head><body>=
            <p>Hello,</p><p>Can you call me at&nbsp;555&#8209;0100?</p><p>Jordan</p></body></html>
            """);

        Assert.Null(message.TextBody);
        Assert.Equal("Hello,\n\nCan you call me at 555\u20110100?\n\nJordan", message.BestText);
    }

    [Fact]
    public void AnEmptyTextPartFallsBackToTheHtml()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/alternative; boundary=x

            --x
            Content-Type: text/plain

            
            --x
            Content-Type: text/html

            <div>Real text</div>
            --x--
            """);

        Assert.Equal("Real text", message.BestText);
    }

    [Fact]
    public void HtmlWithoutACharsetParameterUsesItsMetaTag()
    {
        byte[] head = Encoding.ASCII.GetBytes("Content-Type: text/html\r\n\r\n<html><head><meta charset=\"windows-1256\"></head><body>");
        byte[] body = RawMail.Windows1256.GetBytes("أهلا");

        MimeMessage message = MimeMessage.Parse([.. head, .. body, .. "</body></html>"u8]);

        Assert.Equal("أهلا", message.BestText);
    }

    [Fact]
    public void FormatFlowedLinesAreRejoined()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no

            This line is long and was 
            wrapped by the sender.
             From the stuffed line.
            -- 
            Jordan
            """);

        Assert.Equal("This line is long and was wrapped by the sender.\nFrom the stuffed line.\n-- \nJordan", message.TextBody);
    }

    [Fact]
    public void AForwardedMessageIsKeptAsAnAttachment()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            See below.
            --b
            Content-Type: message/rfc822

            Subject: inner
            From: someone@example.com

            Inner body
            --b--
            """);

        Assert.Equal("See below.", message.TextBody);
        Assert.Equal("message/rfc822", Assert.Single(message.Attachments).MimeType);
    }

    [Fact]
    public void TextAttachmentsAreNotTheBody()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            The body.
            --b
            Content-Type: text/plain; name=notes.txt
            Content-Disposition: attachment

            Not the body.
            --b--
            """);

        Assert.Equal("The body.", message.TextBody);
        Assert.Equal("notes.txt", Assert.Single(message.Attachments).FileName);
    }

    [Fact]
    public void ParsingFromAStreamReadsTheSameMessage()
    {
        using var stream = new MemoryStream(RawMail.Crlf("Subject: s\n\nbody"));

        MimeMessage message = MimeMessage.Parse(stream);

        Assert.Equal(("s", "body", false), (message.Subject, message.TextBody, message.IsTruncated));
    }

    [Fact]
    public void AMessageOverTheSizeLimitIsCutAndSaysSo()
    {
        byte[] raw = RawMail.Crlf("Subject: big\n\n" + new string('x', 5000));
        var options = new MimeParseOptions { MaxMessageBytes = 1000 };

        MimeMessage fromBytes = MimeMessage.Parse(raw, options);
        MimeMessage fromStream = MimeMessage.Parse(new MemoryStream(raw), options);

        Assert.True(fromBytes.IsTruncated);
        Assert.True(fromStream.IsTruncated);
        Assert.Equal("big", fromStream.Subject);
        Assert.Equal(fromBytes.TextBody, fromStream.TextBody);
        Assert.True(fromBytes.TextBody!.Length < 1000);
    }
}
