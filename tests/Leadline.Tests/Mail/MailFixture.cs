using System.Net;
using System.Text.Json;
using Leadline.Delivery;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Leadline.Tests.Mail;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database with a private dovecot to read mail from and an SMTP sink its
/// replies go to. The default tenant reads <see cref="InstanceUser"/>'s mailbox through the IMAP_* variables
/// (STARTTLS, the server's certificate pinned with IMAP_TLS_CERT); other tenants set theirs through the API.
/// </summary>
public sealed class MailFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string Sender = "replies@leadline.test";
    public const string InstanceSecret = "instance-inbound-0123456789abcdef";
    public const string SmtpUser = "leadline";
    public const string SmtpPassword = "s3cret-smtp";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _certificateFile = Path.Combine(Path.GetTempPath(), $"leadline-imap-{Guid.NewGuid():N}.pem");
    private readonly List<LeadlineApp> _apps = [];
    private readonly Lazy<Task<Dovecot>> _polled = new(async () =>
    {
        Dovecot server = Dovecot.WithoutIdle();
        await server.InitializeAsync();
        return server;
    });

    public MailFixture()
    {
        File.WriteAllText(_certificateFile, Dovecot.Certificate.ExportCertificatePem());
        InstanceUser = Dovecot.CreateUser();
        App = Configure(new TApp(), readsInstanceMailbox: true);
    }

    public Dovecot Dovecot { get; } = new();

    public TestSmtpServer Smtp { get; } = new(SmtpTls.StartTls, SmtpUser, SmtpPassword);

    /// <summary>The mailbox of the default tenant, from the IMAP_* variables.</summary>
    public DovecotUser InstanceUser { get; }

    public TApp App { get; }

    /// <summary>
    /// Configures an app like <see cref="App"/> (a second instance, or a restart when given its DB_URL); disposed with the
    /// fixture. Only <see cref="App"/> reads the instance's mailbox, so that no other app takes its mail away.
    /// </summary>
    public T Configure<T>(T app, bool readsInstanceMailbox = false) where T : LeadlineApp
    {
        app.With("SMTP_URL", $"smtp://{SmtpUser}:{SmtpPassword}@127.0.0.1:{Smtp.Port}")
            .With(SmtpOptions.InsecureLoopbackVariable, "true")
            .With("EMAIL_FROM", Sender)
            .With("SENDGRID_INBOUND_SECRET", InstanceSecret)
            .With("IMAP_HOST", readsInstanceMailbox ? "127.0.0.1" : "")
            .With("IMAP_PORT", Dovecot.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("IMAP_USERNAME", InstanceUser.Name)
            .With("IMAP_PASSWORD", InstanceUser.Password)
            .With("IMAP_TLS", "starttls")
            .With("IMAP_TLS_CERT", _certificateFile)
            // Only servers without IDLE are polled (PolledDovecotAsync's).
            .With("POLLER_INTERVAL_SECONDS", "1");
        _apps.Add(app);
        return app;
    }

    public Task InitializeAsync() => Dovecot.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (LeadlineApp app in _apps)
        {
            await app.DisposeAsync();
        }
        await Smtp.DisposeAsync();
        await Dovecot.DisposeAsync();
        if (_polled.IsValueCreated)
        {
            await (await _polled.Value).DisposeAsync();
        }
        File.Delete(_certificateFile);
    }

    /// <summary>A second dovecot, started on first use, that does not offer IDLE: its mailboxes are polled.</summary>
    public Task<Dovecot> PolledDovecotAsync() => _polled.Value;

    /// <summary>
    /// A new tenant reading a new user's INBOX (plain IMAP on loopback) on <paramref name="server"/> (else
    /// <see cref="Dovecot"/>); without <paramref name="keywords"/> the mailbox can keep no keywords.
    /// </summary>
    public async Task<(TestTenant Tenant, DovecotUser User)> TenantWithMailboxAsync(LeadlineApp? app = null, Dovecot? server = null, bool keywords = true)
    {
        server ??= Dovecot;
        TestTenant tenant = await (app ?? App).CreateTenantAsync();
        DovecotUser user = server.CreateUser(keywords: keywords);
        var response = await tenant.Client.PutAsync("/v1/admin/mailbox", MailboxBody(user, server: server));
        await response.JsonAsync(HttpStatusCode.OK);
        return (tenant, user);
    }

    public HttpContent MailboxBody(DovecotUser user, string? password = null, Dovecot? server = null) => System.Net.Http.Json.JsonContent.Create(new
    {
        host = "127.0.0.1",
        port = (server ?? Dovecot).Port,
        username = user.Name,
        password = password ?? user.Password,
        tls = "none",
    }, options: TestJson.Options);

    /// <summary>Waits for the tenant's lead with <paramref name="email"/>, then until <paramref name="done"/> holds; returns its view.</summary>
    public static async Task<JsonElement> WaitForLeadAsync(HttpClient client, string email, Func<JsonElement, bool>? done = null)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            JsonElement page = await (await client.GetAsync("/v1/leads?limit=200")).JsonAsync(HttpStatusCode.OK);
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault(l => l.GetProperty("email").GetString() == email) is { ValueKind: JsonValueKind.Object } found)
            {
                JsonElement lead = await (await client.GetAsync($"/v1/leads/{found.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
                if (done is null || done(lead))
                {
                    return lead;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no lead for {email} (in the expected state) within {Timeout.TotalSeconds} s");
    }

    /// <summary>Every lead of the tenant (up to 200).</summary>
    public static async Task<IReadOnlyList<JsonElement>> LeadsAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/v1/leads?limit=200")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    /// <summary>Waits until the reply to <paramref name="email"/> reached the SMTP sink.</summary>
    public async Task<SmtpDelivery> WaitForReplyAsync(string email, int count = 1)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Smtp.AcceptedFor(email) is { } sent && sent.Count >= count)
            {
                return sent[count - 1];
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no reply number {count} to {email} within {Timeout.TotalSeconds} s");
    }

    /// <summary>The flags of every message in the user's INBOX (on <paramref name="server"/>, else <see cref="Dovecot"/>), by UID.</summary>
    public async Task<IReadOnlyDictionary<uint, IReadOnlyList<string>>> FlagsAsync(DovecotUser user, Dovecot? server = null)
    {
        using ImapClient client = await OpenAsync(server ?? Dovecot, user, FolderAccess.ReadOnly);
        IList<IMessageSummary> messages = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        return messages.ToDictionary(m => m.UniqueId.Id, m => (IReadOnlyList<string>)[.. FlagNames(m)]);
    }

    /// <summary>
    /// Waits until the user's INBOX holds <paramref name="count"/> messages, all flagged as taken in (with
    /// <paramref name="flag"/>, by default our keyword).
    /// </summary>
    public async Task<IReadOnlyDictionary<uint, IReadOnlyList<string>>> WaitForAllProcessedAsync(
        DovecotUser user, int count, Dovecot? server = null, string flag = Leadline.Mail.MailboxReader.Processed)
    {
        var deadline = DateTime.UtcNow + Timeout;
        IReadOnlyDictionary<uint, IReadOnlyList<string>> flags;
        do
        {
            flags = await FlagsAsync(user, server);
            if (flags.Count == count && flags.Values.All(f => f.Contains(flag)))
            {
                return flags;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{user.Name}'s INBOX has {flags.Count} messages, not all of {count} flagged, after {Timeout.TotalSeconds} s");
    }

    /// <summary>
    /// Removes our flags again, as if the app had died between the intake's commit and the STORE, or the owner had
    /// marked the mail unread.
    /// </summary>
    public async Task UnflagAsync(DovecotUser user)
    {
        using ImapClient client = await OpenAsync(Dovecot, user, FolderAccess.ReadWrite);
        IList<UniqueId> uids = await client.Inbox.SearchAsync(SearchQuery.All);
        await client.Inbox.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Remove, MessageFlags.Seen, [Leadline.Mail.MailboxReader.Processed]) { Silent = true });
    }

    /// <summary>A MailKit client logged in to the user's INBOX over implicit TLS, trusting exactly the server's certificate.</summary>
    private static async Task<ImapClient> OpenAsync(Dovecot server, DovecotUser user, FolderAccess access)
    {
        byte[] pinned = server.Certificate.RawData;
        var client = new ImapClient
        {
            Timeout = 30_000,
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned),
        };
        await client.ConnectAsync("127.0.0.1", server.TlsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user.Name, user.Password);
        await client.Inbox.OpenAsync(access);
        return client;
    }

    /// <summary>The flags as IMAP names them: "\\Seen" for the system flags, keywords as they are.</summary>
    private static IEnumerable<string> FlagNames(IMessageSummary message)
    {
        if (message.Flags?.HasFlag(MessageFlags.Seen) == true)
        {
            yield return "\\Seen";
        }
        if (message.Flags?.HasFlag(MessageFlags.Deleted) == true)
        {
            yield return "\\Deleted";
        }
        foreach (string keyword in message.Keywords)
        {
            yield return keyword;
        }
    }
}
