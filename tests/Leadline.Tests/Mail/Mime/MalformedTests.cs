using System.Text;
using Leadline.Mail.Mime;

namespace Leadline.Tests.Mail.Mime;

public sealed class MalformedTests
{
    [Fact]
    public void ATruncatedMultipartKeepsWhatArrived()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            The text arrived.
            --b
            Content-Type: application/pdf; name=cut.pdf
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            JVBER
            """);

        Assert.Equal("The text arrived.", message.TextBody);
        Assert.Equal("cut.pdf", Assert.Single(message.Attachments).FileName);
    }

    [Fact]
    public void APartCutInsideItsHeadersDoesNotThrow()
    {
        MimeMessage message = RawMail.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Ty");

        Assert.Equal("hello", message.TextBody);
    }

    [Fact]
    public void AMissingBoundaryParameterIsGuessedFromTheBody()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/alternative

            --guess
            Content-Type: text/plain

            Guessed text
            --guess
            Content-Type: text/html

            <b>Guessed html</b>
            --guess--
            """);

        Assert.Equal("Guessed text", message.TextBody);
        Assert.Equal("<b>Guessed html</b>", message.HtmlBody);
    }

    [Fact]
    public void AMultipartWithoutAnyBoundaryReadsAsText()
    {
        MimeMessage message = RawMail.Parse("""
            Content-Type: multipart/mixed; boundary="nowhere"

            Just some text.
            """);

        Assert.Equal("Just some text.", message.TextBody);
    }

    [Theory]
    [InlineData("SGVsbG8sIHdvcmxk\n", "Hello, world")]
    [InlineData("SGVsbG8s IHdv\ncmxk", "Hello, world")]
    [InlineData("SGVsbG8sIHdvcmxk=====", "Hello, world")]
    [InlineData("SGVsbG8sIHdvcmxkIQ", "Hello, world!")]
    [InlineData("SGVs!!bG8s*IHdv~cmxk", "Hello, world")]
    [InlineData("SGVsbA==bG8=", "Helllo")]
    [InlineData("S", "")]
    public void BadBase64DecodesWhatItCan(string body, string text)
    {
        MimeMessage message = RawMail.Parse("Content-Transfer-Encoding: base64\n\n" + body);

        Assert.Equal(text, message.TextBody);
    }

    [Fact]
    public void AnUnknownCharsetFallsBackToUtf8ThenLatin()
    {
        MimeMessage utf8 = RawMail.Parse("Content-Type: text/plain; charset=x-klingon\n\ncafé");
        MimeMessage latin = MimeMessage.Parse([.. "Content-Type: text/plain; charset=x-klingon\r\n\r\ncaf"u8, 0xE9]);

        Assert.Equal("café", utf8.TextBody);
        Assert.Equal("café", latin.TextBody);
    }

    [Fact]
    public void AHeaderWithoutAColonIsSkipped()
    {
        MimeMessage message = RawMail.Parse("""
            From: jordan@example.com
            X-Broken-Header-Without-Colon
            Subject: still read

            Body
            """);

        Assert.Equal("still read", message.Subject);
        Assert.Equal("Body", message.TextBody);
    }

    [Fact]
    public void TextWhereTheBlankLineShouldBeStartsTheBody()
    {
        MimeMessage message = RawMail.Parse("""
            Subject: no blank line
            Hello there, this is the body.
            """);

        Assert.Equal("no blank line", message.Subject);
        Assert.Equal("Hello there, this is the body.", message.TextBody);
    }

    [Fact]
    public void BareLineFeedsWorkLikeCrlf()
    {
        byte[] raw = Encoding.UTF8.GetBytes(
            "From: a@example.com\nSubject: bare\n folded\nContent-Type: multipart/alternative; boundary=z\n\n--z\nContent-Type: text/plain\n\nline one\nline two\n--z--\n");

        MimeMessage message = MimeMessage.Parse(raw);

        Assert.Equal("bare folded", message.Subject);
        Assert.Equal("line one\nline two", message.TextBody);
    }

    [Fact]
    public void AnEmptyMessageParses()
    {
        MimeMessage message = MimeMessage.Parse(Array.Empty<byte>());

        Assert.Equal("", message.Subject);
        Assert.Equal("", message.BestText);
        Assert.Empty(message.From);
        Assert.Null(message.MessageId);
        Assert.Null(message.Date);
    }

    [Fact]
    public void AnMboxFromLineAtTheTopIsSkipped()
    {
        MimeMessage message = RawMail.Parse("From jordan@example.com Mon Jan  6 10:00:00 2025\nSubject: mbox\n\nbody");

        Assert.Equal("mbox", message.Subject);
    }

    [Fact]
    public void AFiveMegabyteAttachmentParsesWithoutDecodingIt()
    {
        var random = new Random(6);
        byte[] file = new byte[5 * 1024 * 1024];
        random.NextBytes(file);
        string raw = $"""
            From: jordan@example.com
            Subject: plans
            Content-Type: multipart/mixed; boundary="big"

            --big
            Content-Type: text/plain; charset=utf-8

            Plans attached, can you quote?
            --big
            Content-Type: application/zip; name="plans.zip"
            Content-Disposition: attachment; filename="plans.zip"
            Content-Transfer-Encoding: base64

            {RawMail.Base64(file)}
            --big--
            """;

        MimeMessage message = MimeMessage.Parse(RawMail.Crlf(raw));
        MimeMessage decoded = MimeMessage.Parse(RawMail.Crlf(raw), new MimeParseOptions { DecodeAttachments = true });

        Assert.Equal("Plans attached, can you quote?", message.BestText);
        Assert.Equal(new MimeAttachment("plans.zip", "application/zip", file.Length, false, null, null), Assert.Single(message.Attachments));
        Assert.Equal(file, Assert.Single(decoded.Attachments).Content);
    }

    [Fact]
    public void DeepNestingStopsAtTheDepthLimitAsAnOpaquePart()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n");
        }
        sb.Append("Content-Type: text/plain\n\ndeep\n");

        MimeMessage message = RawMail.Parse(sb.ToString());

        Assert.Equal("multipart/mixed", Assert.Single(message.Attachments).MimeType);
    }

    [Fact]
    public void ThousandsOfPartsStopAtThePartLimit()
    {
        var sb = new StringBuilder("Content-Type: multipart/mixed; boundary=p\n\n");
        for (int i = 0; i < 5000; i++)
        {
            sb.Append("--p\nContent-Type: image/gif\n\nx\n");
        }

        MimeMessage message = RawMail.Parse(sb.ToString());

        Assert.True(message.Attachments.Count < MimeParseOptions.Default.MaxParts);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public void AnAttachmentsMeasuredSizeIsItsDecodedLengthWhateverTheBody(string encoding)
    {
        var random = new Random(42);
        byte[] alphabet = Encoding.ASCII.GetBytes("AZaz09+/= \t\r\n=3D=0A=ZZ!~");
        var decode = new MimeParseOptions { DecodeAttachments = true };
        for (int round = 0; round < 300; round++)
        {
            byte[] body = new byte[random.Next(0, 300)];
            for (int i = 0; i < body.Length; i++)
            {
                body[i] = alphabet[random.Next(alphabet.Length)];
            }
            byte[] raw = [.. Encoding.ASCII.GetBytes($"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n"), .. body];

            MimeAttachment measured = Assert.Single(MimeMessage.Parse(raw).Attachments);
            MimeAttachment decoded = Assert.Single(MimeMessage.Parse(raw, decode).Attachments);

            Assert.Equal(measured.Size, decoded.Content!.Length);
        }
    }

    [Fact]
    public void QuotedPrintableAttachmentsDropLinePaddingOnly()
    {
        MimeMessage message = MimeMessage.Parse(
            RawMail.Crlf("Content-Type: text/csv; name=a.csv\nContent-Transfer-Encoding: quoted-printable\n\na,b   \nc=3Dd =\ne  "),
            new MimeParseOptions { DecodeAttachments = true });

        Assert.Equal("a,b\r\nc=d e  ", Encoding.ASCII.GetString(Assert.Single(message.Attachments).Content!));
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(20250106);
        byte[] alphabet = Encoding.ASCII.GetBytes("\r\n\r\n-- :;=?\"<>@()QBb=?utf-8?boundary=multipart/mixedContent-Type: base64quoted-printable\t");
        for (int round = 0; round < 2000; round++)
        {
            byte[] data = new byte[random.Next(0, 600)];
            if (round % 2 == 0)
            {
                random.NextBytes(data);
            }
            else
            {
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = alphabet[random.Next(alphabet.Length)];
                }
            }
            MimeMessage message = MimeMessage.Parse(data);
            _ = (message.BestText, message.Subject, message.Date, message.From, message.References);
        }
    }

    [Fact]
    public void MutatedRealMessagesNeverThrow()
    {
        byte[] seed = RawMail.Crlf($"""
            From: "Jordan =?utf-8?Q?L=C3=A9e?=" <jordan@example.com>
            Date: Mon, 6 Jan 2025 10:15:30 +0100
            Subject: =?utf-8?B?2YXYsdit2KjYpw==?=
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: multipart/alternative; boundary="a"

            --a
            Content-Type: text/plain; charset=utf-8; format=flowed
            Content-Transfer-Encoding: quoted-printable

            Hello =C3=A9 there=
            , friend
            --a
            Content-Type: text/html; charset*=utf-8''x

            <table><tr><td>Name</td><td>Jordan</td></tr></table>
            --a--
            --m
            Content-Type: image/png; name*0*=utf-8''%E2%82; name*1=x
            Content-Transfer-Encoding: base64

            {RawMail.Base64(new byte[100])}
            --m--
            """);
        var random = new Random(7);
        for (int round = 0; round < 2000; round++)
        {
            byte[] data = (byte[])seed.Clone();
            int edits = random.Next(1, 12);
            for (int e = 0; e < edits; e++)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }
            int length = random.Next(data.Length + 1);
            MimeMessage message = MimeMessage.Parse(data.AsSpan(0, length));
            _ = (message.BestText, EmailText.NewContent(message.BestText), FormNotification.TryParse(message, out _));
        }
    }
}
