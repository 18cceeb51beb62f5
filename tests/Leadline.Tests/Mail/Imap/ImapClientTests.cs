using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Leadline.Mail.Imap;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Mail.Imap;

/// <summary>The IMAP client against a real dovecot; each test has its own user, so its own INBOX.</summary>
public sealed class ImapClientTests(Dovecot dovecot) : IClassFixture<Dovecot>
{
    private const string Processed = "$LeadlineProcessed";
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<ImapClient> LoggedInAsync(DovecotUser user, ImapSecurity security = ImapSecurity.Implicit)
    {
        ImapClient client = await ImapClient.ConnectAsync(dovecot.Options(security), None);
        await client.AuthenticateAsync(user.Name, user.Password, None);
        return client;
    }

    internal static byte[] Message(string subject, string body, string extraHeaders = "") => Encoding.UTF8.GetBytes(
        $"From: Jordan Lee <jordan@example.com>\r\nTo: leads@acme.test\r\nSubject: {subject}\r\n" +
        $"Message-ID: <{Guid.NewGuid():N}@example.com>\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n{extraHeaders}" +
        $"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}");

    [DovecotFact]
    public async Task ImplicitTlsLogsInAndSelectGivesUidValidityAndUidNext()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.Implicit), None);
        Assert.True(client.IsEncrypted);

        await client.LoginAsync(user.Name, user.Password, None);
        ImapMailbox inbox = await client.SelectAsync("INBOX", None);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.SupportsIdle);
        Assert.NotEqual(0u, inbox.UidValidity);
        Assert.Equal((uint?)1, inbox.UidNext);
        Assert.Equal(0u, inbox.Exists);
        Assert.False(inbox.ReadOnly);
        Assert.Contains("\\*", inbox.PermanentFlags!);
        Assert.True(inbox.CanStoreFlag(Processed));
        await client.LogoutAsync(None);
    }

    [DovecotFact]
    public async Task StartTlsSecuresThePlainPortAndAuthenticatePlainLogsIn()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.StartTls), None);
        Assert.True(client.IsEncrypted);

        await client.AuthenticatePlainAsync(user.Name, user.Password, None);

        Assert.True(client.IsAuthenticated);
        Assert.Equal("INBOX", (await client.SelectAsync("INBOX", None)).Name);
    }

    [DovecotFact]
    public async Task PlainTextOnLoopbackLogsInWithQuotedAndLiteralPasswords()
    {
        foreach (string password in new[] { "pa\"ss\\word (1)", "كلمة سر ✓" })
        {
            DovecotUser user = dovecot.CreateUser(password);
            await using ImapClient client = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.None), None);
            Assert.False(client.IsEncrypted);
            await client.LoginAsync(user.Name, password, None);
            Assert.True(client.IsAuthenticated);
        }
    }

    [DovecotFact]
    public async Task AWrongPasswordIsAnAuthenticationErrorThatDoesNotHoldThePassword()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.Implicit), None);

        var login = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.LoginAsync(user.Name, "wrong-Secret-77", None));
        var plain = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.AuthenticatePlainAsync(user.Name, "wrong-Secret-77", None));

        Assert.Equal("AUTHENTICATIONFAILED", login.ResponseCode);
        Assert.Equal("NO", plain.Status);
        Assert.DoesNotContain("wrong-Secret-77", login.ToString());
        Assert.DoesNotContain("wrong-Secret-77", plain.ToString());
        // A refused login leaves the connection usable for a corrected one.
        await client.LoginAsync(user.Name, user.Password, None);
        Assert.True(client.IsAuthenticated);
    }

    [DovecotFact]
    public async Task AnotherPinnedCertificateOrAnUntrustedOneIsRefused()
    {
        using X509Certificate2 other = Leadline.Testing.DovecotSetup.NewSelfSignedCertificate(out _);
        ImapOptions pinnedToOther = dovecot.Options(ImapSecurity.StartTls) with { TrustedCertificate = other };
        ImapOptions defaultValidation = dovecot.Options(ImapSecurity.Implicit) with { TrustedCertificate = null };

        await Assert.ThrowsAsync<AuthenticationException>(() => ImapClient.ConnectAsync(pinnedToOther, None));
        await Assert.ThrowsAsync<AuthenticationException>(() => ImapClient.ConnectAsync(defaultValidation, None));
    }

    [DovecotFact]
    public async Task DeliveredMessagesAreFoundAndFetchedByteForByte()
    {
        DovecotUser user = dovecot.CreateUser();
        byte[][] sent =
        [
            Message("Quote for a kitchen", "Hello, how much for a new kitchen?\r\n"),
            Message("=?UTF-8?B?2LfZhNioINiz2LnYsQ==?=", "مرحبا، أريد عرض سعر لتجديد المطبخ. رقمي ٠٥٠١٢٣٤٥٦٧\r\n"),
            Message("Booking", "Can I book Tuesday?\r\n"),
        ];
        foreach (byte[] message in sent)
        {
            await dovecot.DeliverAsync(user, message);
        }
        await using ImapClient client = await LoggedInAsync(user);
        ImapMailbox inbox = await client.SelectAsync("INBOX", None);

        IReadOnlyList<uint> unseen = await client.SearchAsync("UNSEEN", None);
        IReadOnlyList<ImapMessage> full = await client.FetchAsync(unseen, ImapFetchBody.Full, None);
        IReadOnlyList<ImapMessage> headers = await client.FetchAsync(unseen, ImapFetchBody.Header, None);

        Assert.Equal(3u, inbox.Exists);
        Assert.Equal(3, unseen.Count);
        Assert.All(full, m => Assert.Equal(m.Raw!.Length, m.Size));
        Assert.Equal(
            sent.Select(Convert.ToBase64String).Order(),
            full.Select(m => Convert.ToBase64String(m.Raw!)).Order());
        foreach (ImapMessage message in headers)
        {
            byte[] raw = full.Single(m => m.Uid == message.Uid).Raw!;
            int end = raw.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
            Assert.Equal(raw[..end], message.Header);
            Assert.Null(message.Raw);
        }
        // BODY.PEEK leaves the messages unread.
        Assert.Equal(unseen, await client.SearchAsync("UNSEEN", None));
        Assert.All(full, m => Assert.DoesNotContain("\\Seen", m.Flags));
    }

    [DovecotFact]
    public async Task AFiveMegabyteMessageArrivesIntact()
    {
        DovecotUser user = dovecot.CreateUser();
        var random = new Random(2026);
        var body = new StringBuilder();
        while (body.Length < 5 * 1024 * 1024)
        {
            byte[] chunk = new byte[57];
            random.NextBytes(chunk);
            body.Append(Convert.ToBase64String(chunk)).Append("\r\n");
        }
        byte[] message = Message("Plans attached", body.ToString());
        await dovecot.DeliverAsync(user, message);
        await using ImapClient client = await LoggedInAsync(user);
        await client.SelectAsync("INBOX", None);

        uint uid = Assert.Single(await client.SearchAsync("ALL", None));
        ImapMessage fetched = Assert.Single(await client.FetchAsync([uid], ImapFetchBody.Full, None));

        Assert.Equal(message.Length, fetched.Size);
        Assert.True(message.AsSpan().SequenceEqual(fetched.Raw), "the fetched bytes differ from the delivered ones");
    }

    [DovecotFact]
    public async Task StoredKeywordsAndSeenFlagsExcludeMessagesFromSearchesAndStay()
    {
        DovecotUser user = dovecot.CreateUser();
        for (int i = 0; i < 3; i++)
        {
            await dovecot.DeliverAsync(user, Message($"Lead {i}", "Hi\r\n"));
        }
        uint[] uids;
        await using (ImapClient client = await LoggedInAsync(user, ImapSecurity.StartTls))
        {
            await client.SelectAsync("INBOX", None);
            uids = [.. await client.SearchAsync($"NOT KEYWORD {Processed}", None)];
            Assert.Equal(3, uids.Length);

            await client.AddFlagsAsync(uids[..2], ["\\Seen", Processed], None);

            Assert.Equal([uids[2]], await client.SearchAsync($"NOT KEYWORD {Processed}", None));
            Assert.Equal([uids[2]], await client.SearchAsync("UNSEEN", None));
            await client.LogoutAsync(None);
        }

        await using ImapClient again = await LoggedInAsync(user);
        ImapMailbox inbox = await again.SelectAsync("INBOX", None);
        IReadOnlyList<ImapMessage> messages = await again.FetchAsync(uids, ImapFetchBody.None, None);
        Assert.Equal([uids[2]], await again.SearchAsync($"UID {uids[2]}:* NOT KEYWORD {Processed}", None));
        Assert.Contains(Processed, messages[0].Flags);
        Assert.Contains("\\Seen", messages[1].Flags);
        Assert.DoesNotContain(Processed, messages[2].Flags);
        Assert.Equal((uint?)(uids[2] + 1), inbox.UidNext);

        await again.RemoveFlagsAsync([uids[0]], [Processed], None);
        Assert.Equal([uids[0], uids[2]], await again.SearchAsync($"NOT KEYWORD {Processed}", None));
    }

    [DovecotFact]
    public async Task AMissingMailboxIsARefusalAndTheConnectionGoesOn()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await LoggedInAsync(user);

        var e = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("Leads/Nowhere", None));

        Assert.Equal(("SELECT", "NO"), (e.Command, e.Status));
        Assert.Null(client.Selected);
        ImapMailbox inbox = await client.ExamineAsync("INBOX", None);
        Assert.True(inbox.ReadOnly);
        Assert.False(inbox.CanStoreFlag("\\Seen"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.AddFlagsAsync([1], ["\\Seen"], None));
    }

    [DovecotFact]
    public async Task IdleWakesUpWhenAMessageIsDelivered()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await LoggedInAsync(user);
        await client.SelectAsync("INBOX", None);

        Task<ImapChanges> idle = client.IdleAsync(TimeSpan.FromMinutes(2), None);
        await Task.Delay(300);
        await dovecot.DeliverAsync(user, Message("Urgent: leak", "Water everywhere\r\n"));
        ImapChanges changes = await idle;

        Assert.True(changes.Any);
        Assert.Equal((uint?)1, changes.Exists);
        Assert.Single(await client.SearchAsync("UNSEEN", None));
    }

    [DovecotFact]
    public async Task IdleReturnsEmptyAfterItsMaximumDurationAndTheConnectionGoesOn()
    {
        DovecotUser user = dovecot.CreateUser();
        await using ImapClient client = await LoggedInAsync(user);
        await client.SelectAsync("INBOX", None);

        ImapChanges changes = await client.IdleAsync(TimeSpan.FromSeconds(1), None);

        Assert.False(changes.Any);
        Assert.Same(ImapChanges.None, await client.NoopAsync(None));
        Assert.Empty(await client.SearchAsync("ALL", None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.IdleAsync(TimeSpan.FromMinutes(30), None));
    }
}
