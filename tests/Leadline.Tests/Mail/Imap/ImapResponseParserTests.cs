using System.Text;
using Leadline.Mail.Imap;

namespace Leadline.Tests.Mail.Imap;

/// <summary>The response reader and parser on canned server output, handed over a few bytes at a time.</summary>
public sealed class ImapResponseParserTests
{
    /// <summary>A server connection that hands out at most <paramref name="chunk"/> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], ct);
    }

    private static ImapResponseReader Reader(string text, int chunk = 3, int maxLiteral = 1 << 20) =>
        Reader(Encoding.UTF8.GetBytes(text), chunk, maxLiteral);

    private static ImapResponseReader Reader(byte[] bytes, int chunk = 3, int maxLiteral = 1 << 20) =>
        new(new TrickleStream(bytes, chunk), "IMAP server test", maxLiteral);

    private static Task<ImapResponse> ParseAsync(string text) => Reader(text).ReadAsync(default);

    [Fact]
    public async Task ATaggedAnswerHasItsStatusCodeAndText()
    {
        ImapResponse r = await ParseAsync("L7 OK [READ-WRITE] SELECT completed\r\n");
        Assert.Equal(ImapResponseKind.Tagged, r.Kind);
        Assert.Equal("L7", r.Tag);
        Assert.Equal("OK", r.Name);
        Assert.Equal("READ-WRITE", r.Code);
        Assert.Equal("SELECT completed", r.Text);
    }

    [Fact]
    public async Task ResponseCodesCarryNumbersAndFlagLists()
    {
        ImapResponseReader reader = Reader(
            "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n" +
            "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n" +
            "* 172 EXISTS\r\n" +
            "* NO [ALERT] disk almost full\r\n");

        ImapResponse validity = await reader.ReadAsync(default);
        Assert.Equal("UIDVALIDITY", validity.Code);
        Assert.True(Assert.Single(validity.CodeValues).TryGetNumber(out long uidValidity));
        Assert.Equal(3857529045, uidValidity);

        ImapResponse permanent = await reader.ReadAsync(default);
        Assert.Equal(["\\Deleted", "\\Seen", "\\*"], Assert.Single(permanent.CodeValues).Items.Select(v => v.Text));
        Assert.Equal("Limited", permanent.Text);

        ImapResponse exists = await reader.ReadAsync(default);
        Assert.Equal(("EXISTS", 172L), (exists.Name, exists.Number));

        ImapResponse alert = await reader.ReadAsync(default);
        Assert.Equal(("NO", "ALERT", "disk almost full"), (alert.Name, alert.Code, alert.Text));
    }

    [Fact]
    public async Task ALiteralSplitAcrossReadsKeepsItsExactBytesAndTheLineGoesOnAfterIt()
    {
        byte[] body = Encoding.UTF8.GetBytes("Subject: مرحبا\r\n\r\nنريد عرض سعر\r\n");
        byte[] response = [
            .. Encoding.ASCII.GetBytes($"* 3 FETCH (UID 41 BODY[] {{{body.Length}}}\r\n"), .. body,
            .. Encoding.ASCII.GetBytes(" FLAGS (\\Seen $LeadlineProcessed))\r\n")];

        ImapResponse r = await Reader(response, chunk: 2).ReadAsync(default);

        Assert.Equal(("FETCH", 3L), (r.Name, r.Number));
        IReadOnlyList<ImapValue> items = Assert.Single(r.Values).Items;
        Assert.Equal(["UID", "41", "BODY[]"], items.Take(3).Select(v => v.Text));
        Assert.Equal(body, items[3].Bytes);
        Assert.True(items[4].IsAtom("FLAGS"));
        Assert.Equal(["\\Seen", "$LeadlineProcessed"], items[5].Items.Select(v => v.Text));
    }

    [Fact]
    public async Task QuotedStringsUnescapeQuotesAndBackslashes()
    {
        ImapResponse r = await ParseAsync("* LIST (\\HasNoChildren) \"/\" \"Leads \\\"web\\\" \\\\ 2026\"\r\n");
        Assert.Equal(3, r.Values.Count);
        Assert.Equal("/", r.Values[1].Text);
        Assert.Equal("Leads \"web\" \\ 2026", r.Values[2].Text);
        Assert.Equal(ImapValueKind.String, r.Values[2].Kind);
    }

    [Fact]
    public async Task NilIsNotTheStringNil()
    {
        ImapResponse r = await ParseAsync("* 1 FETCH (BODY[HEADER] NIL X-NAME \"NIL\" Y nil)\r\n");
        IReadOnlyList<ImapValue> items = r.Values[0].Items;
        Assert.Same(ImapValue.Nil, items[1]);
        Assert.Null(items[1].Bytes);
        Assert.Equal(ImapValueKind.String, items[3].Kind);
        Assert.Equal("NIL", items[3].Text);
        Assert.Same(ImapValue.Nil, items[5]);
    }

    [Fact]
    public async Task NestedListsAndSectionsWithSpacesParse()
    {
        ImapResponse r = await ParseAsync(
            "* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 5 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"8BIT\" 9 1) \"ALTERNATIVE\") " +
            "BODY[HEADER.FIELDS (FROM DATE)] {5}\r\nFrom:)\r\n");
        IReadOnlyList<ImapValue> items = Assert.Single(r.Values).Items;
        ImapValue structure = items[1];
        Assert.Equal(3, structure.Items.Count);
        Assert.Equal("UTF-8", structure.Items[0].Items[2].Items[1].Text);
        Assert.Equal("ALTERNATIVE", structure.Items[2].Text);
        Assert.Equal("BODY[HEADER.FIELDS (FROM DATE)]", items[2].Text);
        Assert.Equal("From:", items[3].Text);
    }

    [Fact]
    public async Task ContinuationRequestsAndLiteralVariantsParse()
    {
        ImapResponseReader reader = Reader("+ idling\r\n+\r\n* 1 FETCH (BINARY[] ~{3}\r\na\0b BODY[1] {2+}\r\nok)\r\n");
        Assert.Equal((ImapResponseKind.Continuation, "idling"), ((await reader.ReadAsync(default)) is var a ? (a.Kind, a.Text) : default));
        Assert.Equal((ImapResponseKind.Continuation, ""), ((await reader.ReadAsync(default)) is var b ? (b.Kind, b.Text) : default));
        IReadOnlyList<ImapValue> items = (await reader.ReadAsync(default)).Values[0].Items;
        Assert.Equal("a\0b"u8.ToArray(), items[1].Bytes);
        Assert.Equal("ok", items[3].Text);
    }

    [Fact]
    public async Task AFiveMegabyteLiteralArrivesWhole()
    {
        byte[] message = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(message);
        byte[] response = [.. Encoding.ASCII.GetBytes($"* 1 FETCH (UID 9 BODY[] {{{message.Length}}}\r\n"), .. message, .. ")\r\nL2 OK done\r\n"u8];
        ImapResponseReader reader = Reader(response, chunk: 16 * 1024, maxLiteral: 64 << 20);

        ImapResponse fetch = await reader.ReadAsync(default);
        Assert.Equal(message, fetch.Values[0].Items[3].Bytes);
        Assert.Equal("L2", (await reader.ReadAsync(default)).Tag);
    }

    [Fact]
    public async Task ResponsesThatArriveTogetherAreReadOneByOne()
    {
        ImapResponseReader reader = Reader("* 4 EXISTS\r\n* 1 RECENT\r\n* OK Still here\r\n", chunk: 4096);
        Assert.Equal("EXISTS", (await reader.ReadAsync(default)).Name);
        Assert.True(reader.HasBufferedData);
        Assert.Equal("RECENT", (await reader.ReadAsync(default)).Name);
        Assert.Equal("Still here", (await reader.ReadAsync(default)).Text);
        Assert.False(reader.HasBufferedData);
    }

    [Fact]
    public async Task AnUnknownResponseCodeWithFreeTextKeepsItsName()
    {
        ImapResponse r = await ParseAsync("L3 NO [X-ODD don't (retry] try later\r\n");
        Assert.Equal(("X-ODD", "try later"), (r.Code, r.Text));
        Assert.Empty(r.CodeValues);
    }

    [Theory]
    [InlineData("L1 MAYBE fine\r\n")]
    [InlineData("* 1 FETCH (UID 3\r\n")]
    [InlineData("* LIST () \"/\" \"unterminated\r\n")]
    [InlineData("* 1 FETCH (UID 3))\r\n")]
    public async Task GarbageIsAProtocolError(string response)
    {
        await Assert.ThrowsAsync<ImapProtocolException>(() => ParseAsync(response));
    }

    [Fact]
    public async Task ALiteralOverTheLimitIsRefusedBeforeItIsRead()
    {
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => Reader("* 1 FETCH (BODY[] {2000}\r\n", maxLiteral: 1000).ReadAsync(default));
        Assert.Contains("2000", e.Message);
    }

    [Fact]
    public async Task AConnectionClosedInsideALiteralIsAnIOError()
    {
        await Assert.ThrowsAsync<IOException>(() => ParseAsync("* 1 FETCH (BODY[] {50}\r\nonly a few bytes"));
        await Assert.ThrowsAsync<IOException>(() => ParseAsync("* 1 EXI"));
    }
}
