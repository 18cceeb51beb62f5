using System.Text;
using Leadline.Mail.Imap;

namespace Leadline.Tests.Mail.Imap;

/// <summary>How commands are written: strings quoted or sent as literals, UID sets, mailbox names.</summary>
public sealed class ImapCommandTests
{
    private static string[] Segments(ImapCommand command) => [.. command.Build("A1").Select(Encoding.UTF8.GetString)];

    [Fact]
    public void SevenBitStringsAreQuotedWithQuotesAndBackslashesEscaped()
    {
        var login = new ImapCommand("LOGIN", literalPlus: false, literalMinus: false).Raw("LOGIN").String("jo@acme.test").String("pa\"ss\\word (1)");
        Assert.Equal(["A1 LOGIN \"jo@acme.test\" \"pa\\\"ss\\\\word (1)\"\r\n"], Segments(login));
    }

    [Fact]
    public void EightBitOrMultiLineStringsGoAsSynchronisingLiterals()
    {
        var login = new ImapCommand("LOGIN", false, false).Raw("LOGIN").String("jo").String("pässwörd");
        Assert.Equal(["A1 LOGIN \"jo\" {10}\r\n", "pässwörd\r\n"], Segments(login));

        var twoLines = new ImapCommand("LOGIN", false, false).Raw("LOGIN").String("a\r\nb").String("c");
        Assert.Equal(["A1 LOGIN {4}\r\n", "a\r\nb \"c\"\r\n"], Segments(twoLines));
    }

    [Fact]
    public void WithLiteralPlusLiteralsGoWithoutWaiting()
    {
        var login = new ImapCommand("LOGIN", literalPlus: true, literalMinus: false).Raw("LOGIN").String("jo").String("pässwörd");
        Assert.Equal(["A1 LOGIN \"jo\" {10+}\r\npässwörd\r\n"], Segments(login));

        var big = new ImapCommand("LOGIN", literalPlus: false, literalMinus: true).Raw("LOGIN").String(new string('é', 3000));
        Assert.Equal(2, Segments(big).Length);
    }

    [Fact]
    public void StringsWithNulAndRawTextWithLineBreaksAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ImapCommand("LOGIN", false, false).String("a\0b"));
        Assert.Throws<ArgumentException>(() => new ImapCommand("UID SEARCH", false, false).Raw("ALL\r\nA2 DELETE INBOX"));
    }

    [Fact]
    public void UidSetsAreSortedAndCompressedIntoRanges()
    {
        Assert.Equal("1:3,5,9:10", ImapCommand.UidSet([10, 5, 1, 2, 3, 9, 10]));
        Assert.Equal("4294967295", ImapCommand.UidSet([uint.MaxValue]));
        Assert.Throws<ArgumentException>(() => ImapCommand.UidSet([]));
        Assert.Throws<ArgumentException>(() => ImapCommand.UidSet([0]));
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("Leads & Quotes", "Leads &- Quotes")]
    [InlineData("Demandes reçues", "Demandes re&AOc-ues")]
    [InlineData("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]
    public void MailboxNamesUseModifiedUtf7(string name, string encoded)
    {
        Assert.Equal(encoded, ImapCommand.MailboxName(name));
    }
}
