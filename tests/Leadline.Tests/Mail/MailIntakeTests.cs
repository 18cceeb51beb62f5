using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leadline.Tests.Mail;

/// <summary>
/// Mail read from a real dovecot becomes leads that are answered (PRODUCT.md 2.1): every kind of message people send,
/// form notifications, answers to our own replies, machines that must never be answered, restarts and lost flags.
/// Each test has its own tenant and its own mailbox.
/// </summary>
public abstract class MailIntakeTests<TApp>(MailFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private const string Processed = Leadline.Mail.MailboxReader.Processed;

    private static string Address(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    private static IEnumerable<JsonElement> Inbound(JsonElement lead) =>
        lead.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("direction").GetString() == "in");

    private static bool Answered(JsonElement lead) => lead.Outbound().Any(m => m.GetProperty("status").GetString() == "sent");

    [DovecotFact]
    public async Task EveryKindOfPersonalMailBecomesALeadWithAThreadedReply()
    {
        var (tenant, user) = await fixture.TenantWithMailboxAsync();
        string plain = Address("plain"), html = Address("html"), both = Address("both"), qp = Address("qp"), arabic = Address("ahmed");
        string plainId = MailSamples.NewId();
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"\"Jordan Lee\" <{plain}>", "Gutters", "Do you clean gutters?", plainId));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.HtmlOnly($"Robin Park <{html}>", "Tiles", "<p>Need a <b>quote</b> for tiling.</p>"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Alternative($"Sam Ortiz <{both}>", "Deck", "Can you build a deck?", "<p>HTML version</p>"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.QuotedPrintable($"Chris Vale <{qp}>"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.ArabicBase64(arabic));

        var expected = new[]
        {
            (plain, "Jordan", "Do you clean gutters?"),
            (html, "Robin", "Need a quote for tiling."),
            (both, "Sam", "Can you build a deck?"),
            (qp, "Chris", "Hi, we’d like a quote for a new café roof, around $5,000."),
            (arabic, "أحمد", MailSamples.ArabicText),
        };
        foreach (var (email, firstName, text) in expected)
        {
            JsonElement lead = await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, email, Answered);
            Assert.Equal(firstName, lead.GetProperty("first_name").GetString());
            Assert.Equal("email", lead.GetProperty("channel").GetString());
            Assert.Equal(text, Assert.Single(Inbound(lead)).GetProperty("body").GetString());
            var reply = (await fixture.WaitForReplyAsync(email)).Mail;
            Assert.Equal(MailFixture<TApp>.Sender, MimeKit.MailboxAddress.Parse(reply.Header("From")!).Address);
        }
        Assert.Equal(plainId, (await fixture.WaitForReplyAsync(plain)).Mail.Header("In-Reply-To"));
        Assert.Equal(5, (await MailFixture<TApp>.LeadsAsync(tenant.Client)).Count);

        var flags = await fixture.WaitForAllProcessedAsync(user, 5);
        Assert.All(flags.Values, f => Assert.Contains("\\Seen", f));
    }

    [DovecotFact]
    public async Task AFormNotificationIsALeadForTheSubmitterAndTheFormServiceIsNeverWritten()
    {
        var (tenant, user) = await fixture.TenantWithMailboxAsync();
        string submitter = Address("dana");
        string service = Address("noreply");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Form(service, submitter, "+1 512 555 0142", MailSamples.NewId()));

        JsonElement lead = await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, submitter, Answered);
        Assert.Equal("Dana", lead.GetProperty("first_name").GetString());
        Assert.Equal("Whitfield", lead.GetProperty("last_name").GetString());
        Assert.Equal("+15125550142", lead.GetProperty("phone").GetString());
        Assert.Equal("email-form", lead.GetProperty("source").GetString());
        Assert.StartsWith("Our roof leaks over the kitchen", Assert.Single(Inbound(lead)).GetProperty("body").GetString());
        await fixture.WaitForReplyAsync(submitter);
        await fixture.WaitForAllProcessedAsync(user, 1);
        Assert.Empty(fixture.Smtp.DataFor(service));
        Assert.Single(await MailFixture<TApp>.LeadsAsync(tenant.Client));
    }

    [DovecotFact]
    public async Task AnAnswerToOurReplyJoinsTheConversationEvenFromAnotherAddress()
    {
        var (tenant, user) = await fixture.TenantWithMailboxAsync();
        string jordan = Address("jordan");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Jordan <{jordan}>", "Gutters", "Do you clean gutters?"));
        JsonElement first = await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, jordan, Answered);
        string ourId = (await fixture.WaitForReplyAsync(jordan)).Mail.Header("Message-ID")!;

        string work = Address("jordan-work");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Jordan <{work}>", "Re: Gutters", "Yes please, next Tuesday.\n\n> Thanks for writing",
            headers: $"In-Reply-To: {ourId}\r\nReferences: {ourId}\r\n"));

        JsonElement lead = await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, jordan, l => Inbound(l).Count() == 2 && l.Outbound().Count() == 2);
        Assert.Equal(first.GetProperty("conversation_id").GetGuid(), lead.GetProperty("conversation_id").GetGuid());
        Assert.Equal("Yes please, next Tuesday.", Inbound(lead).Last().GetProperty("body").GetString());
        Assert.Single(await MailFixture<TApp>.LeadsAsync(tenant.Client));
        await fixture.WaitForAllProcessedAsync(user, 2);
    }

    [DovecotFact]
    public async Task AutoRepliesAndBouncesAreFlaggedButNeverLeadsOrAnswered()
    {
        var (tenant, user) = await fixture.TenantWithMailboxAsync();
        string away = Address("away");
        string person = Address("person");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.AutoReply($"Away <{away}>"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Bounce("example.com"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Person <{person}>", "Quote", "A quote for a fence, please."));

        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, person, Answered);
        await fixture.WaitForAllProcessedAsync(user, 3);
        Assert.Single(await MailFixture<TApp>.LeadsAsync(tenant.Client));
        Assert.Empty(fixture.Smtp.DataFor(away));

        string metrics = await (await fixture.App.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains($"mail_processed_total{{outcome=\"skipped\",tenant=\"{tenant.Slug}\",via=\"imap\"}} 2", metrics);
        Assert.Contains($"mail_processed_total{{outcome=\"accepted\",tenant=\"{tenant.Slug}\",via=\"imap\"}} 1", metrics);
        Assert.Contains($"imap_connected{{tenant=\"{tenant.Slug}\"}} 1", metrics);
    }

    [DovecotFact]
    public async Task AMailIsOneLeadThroughARestartAndLostFlags()
    {
        TApp first = fixture.Configure(new TApp());
        var (tenant, user) = await fixture.TenantWithMailboxAsync(first);
        string jordan = Address("jordan");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Jordan <{jordan}>", "Fence", "How much for a cedar fence?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, jordan, Answered);
        await fixture.WaitForAllProcessedAsync(user, 1);
        await first.DisposeAsync();

        // As if the app had died after the intake committed and before the flags were stored.
        await fixture.UnflagAsync(user);
        TApp restarted = fixture.Configure(new TApp());
        restarted.With("DB_URL", first.DbUrl);
        using HttpClient client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
        string later = Address("later");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Later <{later}>", "Fence too", "And a gate?"));

        await MailFixture<TApp>.WaitForLeadAsync(client, later, Answered);
        await fixture.WaitForAllProcessedAsync(user, 2);
        JsonElement lead = await MailFixture<TApp>.WaitForLeadAsync(client, jordan);
        Assert.Single(Inbound(lead));
        Assert.Single(lead.Outbound());
        Assert.Equal(2, (await MailFixture<TApp>.LeadsAsync(client)).Count);
        Assert.Single(fixture.Smtp.AcceptedFor(jordan));
    }

    [DovecotFact]
    public async Task AWrongPasswordIsShownInTheStatusAndTheRightOneStartsReading()
    {
        TestTenant tenant = await fixture.App.CreateTenantAsync();
        DovecotUser user = fixture.Dovecot.CreateUser();
        await (await tenant.Client.PutAsync("/v1/admin/mailbox", fixture.MailboxBody(user, "not-the-password"))).JsonAsync(HttpStatusCode.OK);

        JsonElement status = await WaitForStatusAsync(tenant.Client, s => s.GetProperty("state").GetString() == "auth_failed");
        Assert.Contains(user.Name, status.GetProperty("last_error").GetString());
        Assert.DoesNotContain("not-the-password", status.GetRawText());

        await (await tenant.Client.PutAsync("/v1/admin/mailbox", fixture.MailboxBody(user))).JsonAsync(HttpStatusCode.OK);
        string person = Address("person");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Person <{person}>", "Quote", "Paint my fence?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, person, Answered);
        status = await WaitForStatusAsync(tenant.Client, s => s.GetProperty("processed_total").GetInt64() == 1);
        Assert.Equal("connected", status.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("uid_validity").ValueKind);
        Assert.Equal(1, status.GetProperty("last_uid").GetInt64());
    }

    [DovecotFact]
    public async Task TheDefaultTenantReadsTheMailboxOfTheImapVariables()
    {
        using HttpClient op = fixture.App.Operator();
        string person = Address("instance");
        await fixture.Dovecot.DeliverAsync(fixture.InstanceUser, MailSamples.Plain($"Person <{person}>", "Quote", "Do you fix roofs?"));

        await MailFixture<TApp>.WaitForLeadAsync(op, person, Answered);
        JsonElement mailbox = await (await op.GetAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.OK);
        Assert.False(mailbox.GetProperty("set").GetBoolean());
        Assert.Equal("instance", mailbox.GetProperty("in_use").GetString());
        Assert.Equal("starttls", mailbox.GetProperty("tls").GetString());
        Assert.Equal(fixture.InstanceUser.Name, mailbox.GetProperty("username").GetString());
        Assert.DoesNotContain(fixture.InstanceUser.Password, mailbox.GetRawText());
    }

    [DovecotFact]
    public async Task AServerWithoutIdleIsPolledAndEachNewMailIsAnswered()
    {
        Dovecot polled = await fixture.PolledDovecotAsync();
        var (tenant, user) = await fixture.TenantWithMailboxAsync(server: polled);
        JsonElement status = await WaitForStatusAsync(tenant.Client, s => s.GetProperty("state").GetString() == "connected");
        Assert.Equal("polling", status.GetProperty("wait_mode").GetString());
        Assert.Equal("keyword", status.GetProperty("marking").GetString());

        // One mail, then another once the first is done: each poll finds what arrived since the last one.
        string first = Address("first"), second = Address("second");
        await polled.DeliverAsync(user, MailSamples.Plain($"First <{first}>", "Gate", "Can you fix a gate?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, first, Answered);
        await fixture.WaitForAllProcessedAsync(user, 1, polled);
        await polled.DeliverAsync(user, MailSamples.Plain($"Second <{second}>", "Shed", "And build a shed?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, second, Answered);
        await fixture.WaitForAllProcessedAsync(user, 2, polled);

        Assert.Equal(2, (await MailFixture<TApp>.LeadsAsync(tenant.Client)).Count);
        Assert.Single(fixture.Smtp.AcceptedFor(first));
        Assert.Single(fixture.Smtp.AcceptedFor(second));
    }

    [DovecotFact]
    public async Task AMailboxWithoutKeywordsIsMarkedSeenAndItsMailIsNotReadTwiceWhenMarkedUnread()
    {
        TApp first = fixture.Configure(new TApp());
        var (tenant, user) = await fixture.TenantWithMailboxAsync(first, keywords: false);
        string robin = Address("robin"), sam = Address("sam");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Robin <{robin}>", "Tiles", "Do you lay tiles?"));
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Sam <{sam}>", "Deck", "Do you build decks?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, robin, Answered);
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, sam, Answered);

        // The server keeps \Seen only: that, and the highest UID read, say what was done.
        var flags = await fixture.WaitForAllProcessedAsync(user, 2, flag: "\\Seen");
        Assert.All(flags.Values, f => Assert.DoesNotContain(Processed, f));
        JsonElement status = await WaitForStatusAsync(tenant.Client, s => s.GetProperty("last_uid").ValueKind == JsonValueKind.Number
            && s.GetProperty("last_uid").GetInt64() == 2);
        Assert.Equal("seen", status.GetProperty("marking").GetString());
        Assert.Equal("idle", status.GetProperty("wait_mode").GetString());
        await first.DisposeAsync();

        // The owner marks both unread again in their mail program, and the app restarts: unread mail of the last
        // days is taken in on a first read, but these were read before, and the UID remembered says so.
        await fixture.UnflagAsync(user);
        TApp restarted = fixture.Configure(new TApp());
        restarted.With("DB_URL", first.DbUrl);
        using HttpClient client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
        string later = Address("later");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Later <{later}>", "Roof", "And a roof?"));

        await MailFixture<TApp>.WaitForLeadAsync(client, later, Answered);
        await WaitForStatusAsync(client, s => s.GetProperty("last_uid").GetInt64() == 3);
        Assert.Equal(3, (await MailFixture<TApp>.LeadsAsync(client)).Count);
        foreach (string email in new[] { robin, sam })
        {
            JsonElement lead = await MailFixture<TApp>.WaitForLeadAsync(client, email);
            Assert.Single(Inbound(lead));
            Assert.Single(fixture.Smtp.AcceptedFor(email));
        }
        flags = await fixture.FlagsAsync(user);
        Assert.Contains("\\Seen", flags[3]);
        Assert.DoesNotContain("\\Seen", flags[1]);
    }

    [DovecotFact]
    public async Task ABurstIsTakenInInBatchesWithEveryMailOnceAndEachSendersMailInOrder()
    {
        var (tenant, user) = await fixture.TenantWithMailboxAsync();
        // Delivered while the tenant is paused, so that the reader finds all of them at once when it is resumed.
        using HttpClient op = fixture.App.Operator();
        await (await op.PostAsync($"/v1/tenants/{tenant.Id}/pause", null)).JsonAsync(HttpStatusCode.OK);
        const int people = 55;
        string[] senders = [.. Enumerable.Range(0, people).Select(i => Address($"burst{i}"))];
        string twice = senders[7];
        foreach (string sender in senders)
        {
            await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Person <{sender}>", "Quote", $"A quote for {sender}, please."));
        }
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Person <{twice}>", "Quote", "Also a second question."));
        await (await op.PostAsync($"/v1/tenants/{tenant.Id}/activate", null)).JsonAsync(HttpStatusCode.OK);

        await fixture.WaitForAllProcessedAsync(user, people + 1);
        foreach (string sender in senders)
        {
            await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, sender, Answered);
        }
        Assert.Equal(people, (await MailFixture<TApp>.LeadsAsync(tenant.Client)).Count);
        JsonElement repeated = await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, twice);
        Assert.Equal([$"A quote for {twice}, please.", "Also a second question."],
            Inbound(repeated).Select(m => m.GetProperty("body").GetString()));
        JsonElement status = await WaitForStatusAsync(tenant.Client, s => s.GetProperty("processed_total").GetInt64() == people + 1);
        Assert.Equal(people + 1, status.GetProperty("last_uid").GetInt64());
        Assert.All(senders.Where(s => s != twice), s => Assert.Single(fixture.Smtp.AcceptedFor(s)));
    }

    [DovecotFact]
    public async Task AMailboxTheKeyRingCannotDecryptIsReportedOnceAndNotReadUntilSetAgain()
    {
        TApp first = fixture.Configure(new TApp());
        first.With("DATA_PROTECTION_KEYS_DIR", NewKeysDirectory());
        var (tenant, user) = await fixture.TenantWithMailboxAsync(first);
        string before = Address("before");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Before <{before}>", "Fence", "A fence?"));
        await MailFixture<TApp>.WaitForLeadAsync(tenant.Client, before, Answered);
        await first.DisposeAsync();

        // The database restored without its key directory: the start says so, even where no mailbox is read.
        string lostKeys = NewKeysDirectory();
        string error = $"stored mailbox (IMAP login) of tenant {tenant.Slug} cannot be decrypted";
        var startLogs = new LogCapture();
        TApp api = fixture.Configure(new TApp());
        api.With("DB_URL", first.DbUrl).With("DATA_PROTECTION_KEYS_DIR", lostKeys).With("POLLER_ENABLED", "false").WithServices(Capture(startLogs));
        using (HttpClient started = api.CreateClient())
        {
            Assert.Single(startLogs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains(error, StringComparison.Ordinal));
        }
        await api.DisposeAsync();

        var logs = new LogCapture();
        TApp restored = fixture.Configure(new TApp());
        restored.With("DB_URL", first.DbUrl).With("DATA_PROTECTION_KEYS_DIR", lostKeys).WithServices(Capture(logs));
        using HttpClient client = restored.CreateClient();
        client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
        string unread = Address("unread");
        await fixture.Dovecot.DeliverAsync(user, MailSamples.Plain($"Unread <{unread}>", "Gate", "A gate?"));
        JsonElement problem = await (await client.GetAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("DATA_PROTECTION_KEYS_DIR", problem.GetProperty("detail").GetString());

        // Another tenant's mailbox set meanwhile makes the poller read the list again; its mail is read, this one's is not.
        var (other, otherUser) = await fixture.TenantWithMailboxAsync(restored);
        string elsewhere = Address("elsewhere");
        await fixture.Dovecot.DeliverAsync(otherUser, MailSamples.Plain($"Elsewhere <{elsewhere}>", "Roof", "A roof?"));
        await MailFixture<TApp>.WaitForLeadAsync(other.Client, elsewhere, Answered);
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains(error, StringComparison.Ordinal));
        Assert.DoesNotContain(Processed, (await fixture.FlagsAsync(user))[2]);
        Assert.Single(await MailFixture<TApp>.LeadsAsync(client));

        // Setting it again is the way out.
        await (await client.PutAsync("/v1/admin/mailbox", fixture.MailboxBody(user))).JsonAsync(HttpStatusCode.OK);
        await MailFixture<TApp>.WaitForLeadAsync(client, unread, Answered);
        await fixture.WaitForAllProcessedAsync(user, 2);
    }

    private static Action<IServiceCollection> Capture(LogCapture logs) => services =>
    {
        services.AddSingleton<ILoggerProvider>(logs);
        services.AddLogging(logging => logging.AddFilter<LogCapture>(null, LogLevel.Trace));
    };

    private static string NewKeysDirectory() => Path.Combine(Path.GetTempPath(), "leadline-tests", "keys-" + Guid.NewGuid().ToString("N"));

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + MailFixture<TApp>.Timeout;
        JsonElement status;
        do
        {
            JsonElement mailbox = await (await client.GetAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.OK);
            status = mailbox.GetProperty("status");
            if (status.ValueKind == JsonValueKind.Object && done(status))
            {
                return status;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"the mailbox status did not get there: {status}");
    }
}

public sealed class SqliteMailIntakeTests(MailFixture<SqliteApp> fixture)
    : MailIntakeTests<SqliteApp>(fixture), IClassFixture<MailFixture<SqliteApp>>;

public sealed class PostgresMailIntakeTests(MailFixture<PostgresApp> fixture)
    : MailIntakeTests<PostgresApp>(fixture), IClassFixture<MailFixture<PostgresApp>>;
