using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Mail;

/// <summary>SendGrid Inbound Parse posts, parsed and raw, to the secret URL GET /v1/admin/mailbox shows.</summary>
public abstract class SendGridInboundTests(LeadlineApp app)
{
    public const string InstanceSecret = "instance-inbound-0123456789abcdef";

    private static string Address(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    private static async Task<string> InboundPathAsync(HttpClient client)
    {
        JsonElement mailbox = await (await client.GetAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.OK);
        return new Uri(mailbox.GetProperty("inbound_parse").GetProperty("url").GetString()!).AbsolutePath;
    }

    private static MultipartFormDataContent Form(params (string Name, byte[] Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new ByteArrayContent(value), name);
        }
        return form;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task ParsedFieldsMakeALeadWithTheirCharsetsRespected()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string path = await InboundPathAsync(tenant.Client);
        string jordan = Address("jordan");
        string messageId = MailSamples.NewId();
        Encoding latin1 = Encoding.Latin1;
        using var form = Form(
            ("headers", Utf8($"From: Jos\u00e9 Garc\u00eda <{jordan}>\nTo: leads@acme.test\nSubject: Caf\u00e9 roof\nMessage-ID: {messageId}\nContent-Type: multipart/alternative; boundary=x\n")),
            ("from", Utf8($"José García <{jordan}>")),
            ("to", Utf8("leads@acme.test")),
            ("subject", Utf8("Café roof")),
            ("text", latin1.GetBytes("Hola, ¿cuánto cuesta reparar el techo del café?")),
            ("html", latin1.GetBytes("<p>Hola, ¿cuánto cuesta reparar el techo del café?</p>")),
            ("charsets", Utf8("""{"to":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"iso-8859-1","html":"iso-8859-1","headers":"UTF-8"}""")),
            ("envelope", Utf8($$"""{"to":["leads@acme.test"],"from":"{{jordan}}"}""")),
            ("attachments", Utf8("0")));

        JsonElement body = await (await app.CreateClient().PostAsync(path, form)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", body.GetProperty("status").GetString());

        JsonElement lead = await (await tenant.Client.GetAsync($"/v1/leads/{body.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(jordan, lead.GetProperty("email").GetString());
        Assert.Equal("José", lead.GetProperty("first_name").GetString());
        JsonElement inbound = lead.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal("Hola, ¿cuánto cuesta reparar el techo del café?", inbound.GetProperty("body").GetString());
        Assert.Equal("Café roof", inbound.GetProperty("subject").GetString());

        // SendGrid posts again when it missed our answer: the Message-ID in the headers makes it the same event.
        JsonElement again = await (await app.CreateClient().PostAsync(path, form)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RawMimeMakesALeadAndSendGridsRetryIsADuplicate()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string path = await InboundPathAsync(tenant.Client);
        string submitter = Address("dana");
        byte[] raw = MailSamples.Form("notifications@unbounce.com", submitter, "+1 512 555 0142", MailSamples.NewId());

        JsonElement first = await (await app.CreateClient().PostAsync(path, Form(("email", raw), ("to", Utf8("leads@acme.test"))))).JsonAsync(HttpStatusCode.OK);
        JsonElement retry = await (await app.CreateClient().PostAsync(path, Form(("email", raw), ("to", Utf8("leads@acme.test"))))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("accepted", first.GetProperty("status").GetString());
        Assert.Equal("duplicate", retry.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("lead_id").GetGuid(), retry.GetProperty("lead_id").GetGuid());
        JsonElement lead = await (await tenant.Client.GetAsync($"/v1/leads/{first.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(submitter, lead.GetProperty("email").GetString());
        Assert.Equal("email-form", lead.GetProperty("source").GetString());
    }

    [Fact]
    public async Task AMalformedRawMailIsAcknowledgedAndReportedAsNotALead()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string path = await InboundPathAsync(tenant.Client);
        byte[] garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        byte[] truncated = MailSamples.Crlf("Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=\"unheard-of\"\nContent-Transfer-Encoding: base64\n\n@@!!not base64");

        foreach (byte[] raw in new[] { garbage, truncated })
        {
            JsonElement body = await (await app.CreateClient().PostAsync(path, Form(("email", raw)))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("skipped", body.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("reason").GetString()));
        }
    }

    [Fact]
    public async Task AnAutoReplyIsAcknowledgedButNotALead()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string path = await InboundPathAsync(tenant.Client);
        JsonElement body = await (await app.CreateClient().PostAsync(path, Form(("email", MailSamples.AutoReply(Address("away")))))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("skipped", body.GetProperty("status").GetString());
        Assert.Contains("Auto-Submitted", body.GetProperty("reason").GetString());
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AWrongSecretIsNotFoundAndStoresNothing()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string path = await InboundPathAsync(tenant.Client);
        byte[] raw = MailSamples.Plain(Address("jordan"), "Quote", "A quote please.");

        var wrong = await app.CreateClient().PostAsync(path[..^3] + "xyz", Form(("email", raw)));
        await wrong.JsonAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        // Rotating replaces the secret: the old URL stops working.
        await (await tenant.Client.PostAsync("/v1/admin/mailbox/rotate-inbound-secret", null)).JsonAsync(HttpStatusCode.OK);
        await (await app.CreateClient().PostAsync(path, Form(("email", raw)))).JsonAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().PostAsync(await InboundPathAsync(tenant.Client), Form(("email", raw)))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheInstanceSecretPostsToTheDefaultTenant()
    {
        string jordan = Address("jordan");
        byte[] raw = MailSamples.Plain($"Jordan <{jordan}>", "Quote", "Do you do decks?");
        JsonElement body = await (await app.CreateClient().PostAsync($"/webhooks/email/inbound/{InstanceSecret}", Form(("email", raw)))).JsonAsync(HttpStatusCode.OK);
        using HttpClient op = app.Operator();
        JsonElement lead = await (await op.GetAsync($"/v1/leads/{body.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(jordan, lead.GetProperty("email").GetString());
    }

    [Fact]
    public async Task APostThatIsNotAFormIsRefused()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await app.CreateClient().PostAsync(await InboundPathAsync(tenant.Client),
            new StringContent("{}", new MediaTypeHeaderValue("application/json")));
        await response.JsonAsync(HttpStatusCode.UnsupportedMediaType);
    }
}

public sealed class SqliteSendGridInboundApp : LeadlineApp
{
    public SqliteSendGridInboundApp() : base(TestDatabases.NewSqliteUrl()) => With("SENDGRID_INBOUND_SECRET", SendGridInboundTests.InstanceSecret);

    public override string Dialect => "sqlite";
}

public sealed class PostgresSendGridInboundApp : LeadlineApp
{
    public PostgresSendGridInboundApp() : base(TestDatabases.NewPostgresUrl()) => With("SENDGRID_INBOUND_SECRET", SendGridInboundTests.InstanceSecret);

    public override string Dialect => "postgres";
}

public sealed class SqliteSendGridInboundTests(SqliteSendGridInboundApp app) : SendGridInboundTests(app), IClassFixture<SqliteSendGridInboundApp>;

public sealed class PostgresSendGridInboundTests(PostgresSendGridInboundApp app) : SendGridInboundTests(app), IClassFixture<PostgresSendGridInboundApp>;
