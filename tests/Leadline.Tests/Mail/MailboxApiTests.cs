using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Mail;

/// <summary>The mailbox API: validation, the password never shown, the operator's view of any tenant; and form_senders.</summary>
public abstract class MailboxApiTests(LeadlineApp app)
{
    private static Task<HttpResponseMessage> Put(HttpClient client, string url, object body) =>
        System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(client, url, body, TestJson.Options);

    private static object Mailbox(string host = "imap.example.com", string password = "app-password-1234", string? tls = null, int? port = null) =>
        new { host, port, username = "leads@example.com", password, tls, folder = "Leads" };

    [Fact]
    public async Task AMailboxIsStoredAndShownWithoutItsPassword()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement put = await (await Put(tenant.Client, "/v1/admin/mailbox", Mailbox())).JsonAsync(HttpStatusCode.OK);
        Assert.True(put.GetProperty("set").GetBoolean());
        Assert.Equal("tenant", put.GetProperty("in_use").GetString());
        Assert.Equal(993, put.GetProperty("port").GetInt32());
        Assert.Equal("implicit", put.GetProperty("tls").GetString());
        Assert.Equal("Leads", put.GetProperty("folder").GetString());

        using HttpClient op = app.Operator();
        JsonElement viewed = await (await op.GetAsync($"/v1/tenants/{tenant.Id}/mailbox")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("imap.example.com", viewed.GetProperty("host").GetString());
        Assert.DoesNotContain("app-password-1234", viewed.GetRawText());
        Assert.DoesNotContain("app-password-1234", put.GetRawText());
        Assert.StartsWith("http", viewed.GetProperty("inbound_parse").GetProperty("url").GetString());

        // Without a password, the stored one is kept for the same server and login, and required for another server.
        await (await Put(tenant.Client, "/v1/admin/mailbox", new { host = "imap.example.com", username = "leads@example.com", folder = "INBOX" }))
            .JsonAsync(HttpStatusCode.OK);
        JsonElement moved = await (await Put(tenant.Client, "/v1/admin/mailbox", new { host = "imap.elsewhere.test", username = "leads@example.com" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(moved.GetProperty("errors").TryGetProperty("password", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync("/v1/admin/mailbox")).StatusCode);
        await (await tenant.Client.DeleteAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.NotFound);
        JsonElement none = await (await tenant.Client.GetAsync("/v1/admin/mailbox")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("none", none.GetProperty("in_use").GetString());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task InvalidMailboxFieldsAreListed()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement problem = await (await Put(tenant.Client, "/v1/admin/mailbox", new { tls = "ssl" })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        JsonElement errors = problem.GetProperty("errors");
        foreach (string field in new[] { "host", "username", "password", "tls" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        JsonElement plain = await (await Put(tenant.Client, "/v1/admin/mailbox", Mailbox(tls: "none"))).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("loopback", plain.GetProperty("errors").GetProperty("tls")[0].GetString());

        JsonElement bad = await (await Put(tenant.Client, "/v1/admin/mailbox", Mailbox(host: "not a host", port: 70000)))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(bad.GetProperty("errors").TryGetProperty("host", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("port", out _));
        Assert.DoesNotContain("app-password-1234", bad.GetRawText());
    }

    [Fact]
    public async Task FormSendersAreValidatedAndKeptInLowerCase()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement settings = await (await Put(tenant.Client, "/v1/admin/settings",
            new { form_senders = new[] { "NoReply@Unbounce.com", "@Forms.Example.com" } })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["noreply@unbounce.com", "@forms.example.com"], settings.GetProperty("form_senders").EnumerateArray().Select(s => s.GetString()));

        JsonElement problem = await (await Put(tenant.Client, "/v1/admin/settings", new { form_senders = new[] { "not an address" } }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("form_senders", out _));
    }
}

public sealed class SqliteMailboxApiTests(SqliteApp app) : MailboxApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresMailboxApiTests(PostgresApp app) : MailboxApiTests(app), IClassFixture<PostgresApp>;
