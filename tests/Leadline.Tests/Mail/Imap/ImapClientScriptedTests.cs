using Leadline.Mail.Imap;

namespace Leadline.Tests.Mail.Imap;

/// <summary>The client against a scripted server, for server behaviour dovecot does not show on demand.</summary>
public sealed class ImapClientScriptedTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static ImapOptions Options(ScriptedImapServer server, ImapSecurity security = ImapSecurity.None) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Security = security,
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    private static readonly string[] SelectAnswer =
    [
        "* FLAGS (\\Seen \\Deleted)",
        "* OK [PERMANENTFLAGS (\\Seen \\Deleted)] Limited",
        "* 2 EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 77] UIDs valid",
        "* OK [UIDNEXT 12] Predicted next UID",
        "{tag} OK [READ-WRITE] Select completed",
    ];

    [Fact]
    public async Task StartTlsAskedForButNotOfferedIsRefusedBeforeAnyPassword()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN] no tls here", new Dictionary<string, string[]>());

        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(Options(server, ImapSecurity.StartTls), None));

        Assert.Contains("STARTTLS", e.Message);
        Assert.DoesNotContain(server.Received, c => c.Contains("LOGIN", StringComparison.OrdinalIgnoreCase) || c.Contains("AUTHENTICATE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PlainTextIsOnlyForLoopback()
    {
        var options = new ImapOptions { Host = "imap.example.com", Port = 143, Security = ImapSecurity.None };
        await Assert.ThrowsAsync<ArgumentException>(() => ImapClient.ConnectAsync(options, None));
    }

    [Fact]
    public async Task WithoutLiteralPlusAnEightBitPasswordWaitsForTheServersInvitation()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1] ready", new Dictionary<string, string[]>
        {
            ["LOGIN"] = ["{tag} OK [CAPABILITY IMAP4rev1 IDLE] Logged in"],
            ["LOGOUT"] = ["* BYE bye", "{tag} OK done"],
        });
        await using ImapClient client = await ImapClient.ConnectAsync(Options(server), None);

        await client.LoginAsync("jo@acme.test", "كلمة \"سر\"", None);
        await client.LogoutAsync(None);

        Assert.True(client.IsAuthenticated);
        Assert.Contains("IDLE", client.Capabilities);
        string login = Assert.Single(server.Received, c => c.Contains("LOGIN"));
        Assert.EndsWith("LOGIN \"jo@acme.test\" <literal:كلمة \"سر\">", login);
    }

    [Fact]
    public async Task ARefusedLoginNamesTheServersReasonButNeverThePassword()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready", new Dictionary<string, string[]>
        {
            ["LOGIN"] = ["{tag} NO [AUTHENTICATIONFAILED] Authentication failed."],
        });
        await using ImapClient client = await ImapClient.ConnectAsync(Options(server), None);

        var e = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.LoginAsync("jo", "hunter2-secret", None));

        Assert.Equal(("NO", "AUTHENTICATIONFAILED", "Authentication failed."), (e.Status, e.ResponseCode, e.ServerText));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.DoesNotContain("hunter2", e.ToString());
    }

    [Fact]
    public async Task NewMailReportedDuringAnotherCommandEndsTheNextIdleAtOnce()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 IDLE] ready", new Dictionary<string, string[]>
        {
            ["LOGIN"] = ["{tag} OK [CAPABILITY IMAP4rev1 IDLE] Logged in"],
            ["SELECT"] = SelectAnswer,
            ["UID SEARCH"] = ["* 3 EXISTS", "* 1 RECENT", "* 2 FETCH (FLAGS (\\Seen))", "* SEARCH 11 10", "{tag} OK Search completed"],
            ["UID FETCH"] = ["* 1 FETCH (UID 10 FLAGS ())", "* 2 FETCH (FLAGS (\\Seen))", "* 3 FETCH (UID 12 FLAGS (\\Recent))", "{tag} OK Fetch completed"],
        });
        await using ImapClient client = await ImapClient.ConnectAsync(Options(server), None);
        await client.LoginAsync("jo", "pw", None);
        ImapMailbox inbox = await client.SelectAsync("INBOX", None);

        IReadOnlyList<uint> uids = await client.SearchAsync("UNSEEN", None);
        IReadOnlyList<ImapMessage> messages = await client.FetchAsync([10, 12], ImapFetchBody.None, None);
        ImapChanges changes = await client.IdleAsync(TimeSpan.FromMinutes(1), None);

        Assert.Equal((77u, (uint?)12u, 2u), (inbox.UidValidity, inbox.UidNext, inbox.Exists));
        Assert.Equal([10u, 11u], uids);
        Assert.Equal([10u, 12u], messages.Select(m => m.Uid));
        Assert.Equal((uint?)3, changes.Exists);
        Assert.Equal(3u, client.Selected!.Exists);
        Assert.DoesNotContain(server.Received, c => c.EndsWith("IDLE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeywordTheMailboxCannotKeepIsRefusedBeforeAnythingIsStored()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 IDLE] ready", new Dictionary<string, string[]>
        {
            ["LOGIN"] = ["{tag} OK Logged in"],
            ["CAPABILITY"] = ["* CAPABILITY IMAP4rev1 IDLE", "{tag} OK done"],
            ["SELECT"] = SelectAnswer,
            ["UID STORE"] = ["{tag} OK Store completed"],
        });
        await using ImapClient client = await ImapClient.ConnectAsync(Options(server), None);
        await client.LoginAsync("jo", "pw", None);
        ImapMailbox inbox = await client.SelectAsync("INBOX", None);

        Assert.False(inbox.CanStoreFlag("$LeadlineProcessed"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.AddFlagsAsync([10], ["\\Seen", "$LeadlineProcessed"], None));
        await client.AddFlagsAsync([10], ["\\Seen"], None);

        Assert.Equal(["UID STORE 10 +FLAGS.SILENT (\\Seen)"], server.Received.Where(c => c.Contains("STORE")).Select(c => c[(c.IndexOf(' ') + 1)..]));
    }

    [Fact]
    public async Task AServerThatFallsSilentTimesOutAndTheConnectionIsNotUsedAgain()
    {
        await using var server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1] ready", new Dictionary<string, string[]>
        {
            ["NOOP"] = [],
        });
        // Short enough for a test; the greeting on loopback comes well within it.
        ImapOptions options = Options(server) with { CommandTimeout = TimeSpan.FromSeconds(2) };
        await using ImapClient client = await ImapClient.ConnectAsync(options, None);

        await Assert.ThrowsAsync<TimeoutException>(() => client.NoopAsync(None));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.NoopAsync(None));
        Assert.Contains("connect again", e.Message);
    }
}
