using System.Text;
using Leadline.Delivery;
using MimeKit;

namespace Leadline.Tests.Delivery;

/// <summary>The reply as it goes on the wire: what a mail client reads of it, and that it stays ASCII and short-lined.</summary>
public sealed class MailComposerTests
{
    private static readonly DateTimeOffset s_date = new(2026, 11, 21, 15, 4, 5, TimeSpan.Zero);

    private static OutboundMessage Message(string? subject = "Re: Kitchen remodel quote", string body = "Hi Jordan,\nThanks!",
        string? fromName = "Acme Kitchens", string? inReplyTo = null) => new()
    {
        IdempotencyKey = "0193a1b2c3d4e5f60718293a4b5c6d7e",
        To = "jordan@example.com",
        ToName = "Jordan Lee",
        From = "replies@acme.example",
        FromName = fromName,
        Subject = subject,
        Body = body,
        InReplyTo = inReplyTo,
    };

    private static MailText Compose(OutboundMessage m) => MailText.Parse(Raw(m));

    /// <summary>The message as SMTP sends it: CRLF line ends, every header in ASCII.</summary>
    private static string Raw(OutboundMessage m, string? messageId = null)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        MailComposer.Compose(m, messageId ?? MailComposer.MessageId(m), s_date).WriteTo(format, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void ArabicSubjectIsEncodedInShortAsciiLinesAndDecodesBack()
    {
        const string subject = "Re: استفسار عن شقة من غرفتين في الدمام قريبة من البحر والمدارس";
        string raw = Raw(Message(subject), "<id@acme.example>");
        string headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

        Assert.All(headers, c => Assert.True(c < 128, "headers must be ASCII"));
        Assert.All(headers.Split("\r\n"), line => Assert.True(line.Length <= 78, $"line too long: {line}"));
        Assert.Contains("=?utf-8?b?", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(subject, MailText.Parse(raw).Decoded("Subject"));
    }

    [Fact]
    public void NonAsciiDisplayNameIsEncodedAndTheAddressStaysReadable()
    {
        MailText mail = Compose(Message(fromName: "مطعم الريان"));
        Assert.EndsWith("<replies@acme.example>", mail.Header("From"));
        Assert.Equal("مطعم الريان <replies@acme.example>", mail.Decoded("From"));
        Assert.Equal("Jordan Lee <jordan@example.com>", mail.Header("To"));
    }

    [Fact]
    public void QuotesInADisplayNameAreEscaped()
    {
        MailText mail = Compose(Message(fromName: "Bob \"The Builder\" & Sons"));
        Assert.Equal("\"Bob \\\"The Builder\\\" & Sons\" <replies@acme.example>", mail.Header("From"));
    }

    [Fact]
    public void ReplyCarriesThreadingHeadersWithAngleBrackets()
    {
        MailText bracketed = Compose(Message(inReplyTo: "<CAF=abc123@mail.gmail.com>"));
        Assert.Equal("<CAF=abc123@mail.gmail.com>", bracketed.Header("In-Reply-To"));
        Assert.Equal("<CAF=abc123@mail.gmail.com>", bracketed.Header("References"));

        MailText bare = Compose(Message(inReplyTo: "abc123@mail.example.com"));
        Assert.Equal("<abc123@mail.example.com>", bare.Header("In-Reply-To"));
        Assert.Equal("<abc123@mail.example.com>", bare.Header("References"));

        MailText first = Compose(Message(inReplyTo: null));
        Assert.Null(first.Header("In-Reply-To"));
        Assert.Null(first.Header("References"));
    }

    [Fact]
    public void MessageIdComesFromTheIdempotencyKeyAndTheSendersDomain()
    {
        OutboundMessage m = Message();
        Assert.Equal("<0193a1b2c3d4e5f60718293a4b5c6d7e@acme.example>", MailComposer.MessageId(m));
        Assert.Equal(MailComposer.MessageId(m), MailComposer.MessageId(m with { Body = "retried later" }));
        Assert.Equal("<0193a1b2c3d4e5f60718293a4b5c6d7e@acme.example>", Compose(m).Header("Message-ID"));
    }

    [Fact]
    public void StandardHeadersArePresentOnce()
    {
        MailText mail = Compose(Message());
        Assert.Equal("Sat, 21 Nov 2026 15:04:05 +0000", mail.Header("Date"));
        Assert.Equal("1.0", mail.Header("MIME-Version"));
        Assert.Equal("text/plain; charset=utf-8", mail.Header("Content-Type"));
        Assert.Equal("quoted-printable", mail.Header("Content-Transfer-Encoding"));
        Assert.Equal("Re: Kitchen remodel quote", mail.Header("Subject"));
    }

    [Fact]
    public void LineBreaksInASubjectCannotAddHeaders()
    {
        MailText mail = Compose(Message(subject: "Hello\r\nBcc: victim@example.com"));
        Assert.Empty(mail.All("Bcc"));
        Assert.Equal("Hello  Bcc: victim@example.com", mail.Decoded("Subject"));
    }

    [Fact]
    public void QuotedPrintableBodyKeepsLinesShortAndDecodesBack()
    {
        string body = "Café prices = fair. " + new string('x', 150) + "\ntrailing space \n\n.\n..two dots\nend";
        string raw = Raw(Message(body: body), "<id@acme.example>");
        string encoded = raw[(raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

        Assert.All(encoded.Split("\r\n"), line => Assert.True(line.Length <= 76, $"line too long: {line}"));
        Assert.All(encoded, c => Assert.True(c < 128));
        Assert.Contains("space=20", encoded);
        Assert.Equal(body, MailText.Parse(raw).Body);
    }

    [Fact]
    public void ArabicBodyIsBase64AndDecodesBack()
    {
        const string body = "مرحباً جوردن،\nشكراً لتواصلك معنا. يمكنك حجز موعد هنا: https://cal.example/acme";
        MailText mail = Compose(Message(body: body));
        Assert.Equal("base64", mail.Header("Content-Transfer-Encoding"));
        Assert.Equal(body, mail.Body);
    }

    [Fact]
    public void InternationalDomainsAreWrittenInPunycodeAndANonAsciiLocalPartIsRefused()
    {
        Assert.Equal("info@xn--mller-kva.example", Compose(Message() with { To = "info@müller.example", ToName = null }).Header("To"));
        var error = Assert.Throws<DeliveryException>(() => MailComposer.Mailbox(null, "jörg@example.com"));
        Assert.True(error.Permanent);
    }
}
