using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Intake;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leadline.Tests.Tenants;

/// <summary>
/// A tenant's own Twilio account: set, shown masked and removed over HTTP by the operator and by the tenant, stored
/// encrypted, used for its texts and its webhook signatures, while other tenants keep the instance's account.
/// </summary>
public abstract class TwilioCredentialsTests<TApp>(TwilioCredentialsFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private const string OwnSid = TwilioCredentialsFixture<TApp>.OwnSid;
    private const string OwnToken = TwilioCredentialsFixture<TApp>.OwnToken;
    private const string OwnFrom = TwilioCredentialsFixture<TApp>.OwnFrom;
    private const string Own = "/v1/admin/credentials/twilio";

    private static readonly object s_ownAccount = new
    {
        account_sid = OwnSid,
        auth_token = OwnToken,
        from_number = OwnFrom,
        whatsapp_from = TwilioCredentialsFixture<TApp>.OwnWhatsAppFrom,
    };

    private readonly LeadlineApp _app = fixture.App;

    private static string Basic(string sid, string token) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{token}"));

    private static string Operator(Guid tenantId) => $"/v1/tenants/{tenantId}/credentials/twilio";

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, TestJson.Options);

    private static async Task<JsonElement> SentReplyAsync(HttpClient client, Guid leadId)
    {
        JsonElement lead = await EmailLeads.WaitForReplyAsync(client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        return reply;
    }

    [Fact]
    public async Task ATenantWithItsOwnAccountTextsThroughItWhileAnotherKeepsTheInstanceAccount()
    {
        TestTenant own = await _app.CreateTenantAsync();
        TestTenant other = await _app.CreateTenantAsync();
        await (await PutAsync(own.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);

        string ownLead = TextLeads.NewNumber();
        JsonElement reply = await SentReplyAsync(own.Client, await TextLeads.PostAsync(own.Client, ownLead));
        TwilioRequest request = Assert.Single(fixture.Own.RequestsTo(ownLead));
        Assert.Equal(201, request.Status);
        Assert.Equal($"/2010-04-01/Accounts/{OwnSid}/Messages.json", request.Path);
        Assert.Equal(Basic(OwnSid, OwnToken), request.Authorization);
        Assert.Equal(OwnFrom, request.Field("From"));
        Assert.Equal(request.MessageSid, reply.GetProperty("provider_message_id").GetString());
        Assert.Empty(fixture.Instance.RequestsTo(ownLead));

        string whatsAppLead = TextLeads.NewNumber();
        await SentReplyAsync(own.Client, await TextLeads.PostAsync(own.Client, whatsAppLead, channel: "whatsapp"));
        Assert.Equal("whatsapp:" + TwilioCredentialsFixture<TApp>.OwnWhatsAppFrom, Assert.Single(fixture.Own.RequestsTo(whatsAppLead)).Field("From"));

        string otherLead = TextLeads.NewNumber();
        await SentReplyAsync(other.Client, await TextLeads.PostAsync(other.Client, otherLead));
        TwilioRequest instance = Assert.Single(fixture.Instance.RequestsTo(otherLead));
        Assert.Equal(Basic(FakeTwilio.AccountSid, FakeTwilio.AuthToken), instance.Authorization);
        Assert.Equal(TwilioFixture<TApp>.SmsFrom, instance.Field("From"));
        Assert.Empty(fixture.Own.RequestsTo(otherLead));
    }

    [Fact]
    public async Task InboundWebhooksAreCheckedWithTheTenantsOwnAuthToken()
    {
        TestTenant own = await _app.CreateTenantAsync();
        TestTenant other = await _app.CreateTenantAsync();
        await (await PutAsync(own.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);

        string forged = TextLeads.NewNumber();
        JsonElement problem = await (await InboundAsync(own, forged, FakeTwilio.AuthToken)).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Invalid signature", problem.GetProperty("title").GetString());

        string phone = TextLeads.NewNumber();
        HttpResponseMessage accepted = await InboundAsync(own, phone, OwnToken);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(TwilioWebhooks.EmptyTwiml, await accepted.Content.ReadAsStringAsync());
        JsonElement leads = await (await own.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        JsonElement lead = Assert.Single(leads.GetProperty("items").EnumerateArray());
        Assert.Equal(phone, lead.GetProperty("phone").GetString());
        await SentReplyAsync(own.Client, lead.GetProperty("id").GetGuid());
        Assert.Equal(Basic(OwnSid, OwnToken), Assert.Single(fixture.Own.RequestsTo(phone)).Authorization);

        // A tenant without its own account is still checked with the instance's token.
        await (await InboundAsync(other, TextLeads.NewNumber(), OwnToken)).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await InboundAsync(other, TextLeads.NewNumber(), FakeTwilio.AuthToken)).StatusCode);
    }

    /// <summary>Posts an inbound SMS the way Twilio does, signed with <paramref name="token"/> for the public URL.</summary>
    private async Task<HttpResponseMessage> InboundAsync(TestTenant tenant, string from, string token, LeadlineApp? app = null)
    {
        string path = $"/webhooks/sms/inbound?tenant={tenant.Slug}";
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["From"] = from,
            ["To"] = OwnFrom,
            ["Body"] = "Hi, how much would a kitchen remodel cost?",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(token, TwilioFixture<TApp>.PublicBaseUrl + path,
            form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value]))));
        return await (app ?? _app).CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task TheAuthTokenIsStoredEncryptedAndNeverShownLoggedOrAudited()
    {
        TestTenant tenant = await _app.CreateTenantAsync();
        string text = await (await PutAsync(tenant.Client, Own, s_ownAccount)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(OwnToken, text);

        foreach (HttpResponseMessage response in new[] { await tenant.Client.GetAsync(Own), await _app.Operator().GetAsync(Operator(tenant.Id)) })
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(OwnToken[..8], body);
            JsonElement view = await response.JsonAsync(HttpStatusCode.OK);
            Assert.True(view.GetProperty("set").GetBoolean());
            Assert.Equal("tenant", view.GetProperty("in_use").GetString());
            Assert.Equal(OwnSid, view.GetProperty("account_sid").GetString());
            Assert.Equal("****" + OwnToken[^4..], view.GetProperty("auth_token").GetString());
            Assert.Equal(OwnFrom, view.GetProperty("from_number").GetString());
            Assert.Equal(TwilioCredentialsFixture<TApp>.OwnWhatsAppFrom, view.GetProperty("whatsapp_from").GetString());
        }

        await using (var connection = await _app.Services.GetRequiredService<Db>().OpenAsync())
        {
            string stored = await connection.QuerySingleAsync<string>(
                "SELECT ciphertext FROM tenant_credentials WHERE tenant_id = @Id AND provider = 'twilio'", new { tenant.Id });
            Assert.DoesNotContain(OwnToken, stored);
            Assert.DoesNotContain(OwnSid, stored);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(OwnToken)), stored);

            var audit = (await connection.QueryAsync<(string Kind, string Data)>(
                "SELECT kind, data FROM audit_events WHERE tenant_id = @Id AND kind LIKE 'credentials.%'", new { tenant.Id })).ToList();
            (string kind, string data) = Assert.Single(audit);
            Assert.Equal("credentials.twilio.set", kind);
            Assert.Contains(OwnSid, data);
            Assert.Contains("\"by\":\"tenant\"", data);
            Assert.DoesNotContain(OwnToken, data);
        }

        string phone = TextLeads.NewNumber();
        await SentReplyAsync(tenant.Client, await TextLeads.PostAsync(tenant.Client, phone));
        Assert.Single(fixture.Own.RequestsTo(phone));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Text.Contains(OwnToken, StringComparison.Ordinal)
            || l.Text.Contains(Basic(OwnSid, OwnToken)[6..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemovingTheAccountGoesBackToTheInstanceAccount()
    {
        TestTenant tenant = await _app.CreateTenantAsync();
        await (await PutAsync(tenant.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);
        string before = TextLeads.NewNumber();
        await SentReplyAsync(tenant.Client, await TextLeads.PostAsync(tenant.Client, before));
        Assert.Single(fixture.Own.RequestsTo(before));

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(Own)).StatusCode);
        JsonElement view = await (await tenant.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK);
        Assert.False(view.GetProperty("set").GetBoolean());
        Assert.Equal("instance", view.GetProperty("in_use").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("account_sid").ValueKind);

        string after = TextLeads.NewNumber();
        await SentReplyAsync(tenant.Client, await TextLeads.PostAsync(tenant.Client, after));
        Assert.Equal(Basic(FakeTwilio.AccountSid, FakeTwilio.AuthToken), Assert.Single(fixture.Instance.RequestsTo(after)).Authorization);
        Assert.Empty(fixture.Own.RequestsTo(after));
        Assert.Equal(HttpStatusCode.OK, (await InboundAsync(tenant, TextLeads.NewNumber(), FakeTwilio.AuthToken)).StatusCode);

        JsonElement again = await (await tenant.Client.DeleteAsync(Own)).JsonAsync(HttpStatusCode.NotFound);
        Assert.Contains("instance", again.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task InvalidCredentialsAre422ListingEachField()
    {
        TestTenant tenant = await _app.CreateTenantAsync();
        HttpResponseMessage response = await PutAsync(tenant.Client, Own, new
        {
            account_sid = "SK0123456789abcdef0123456789abcdef",
            auth_token = "short secret",
            from_number = "555-1234",
            whatsapp_from = "whatsapp:12",
        });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("short secret", text);
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        JsonElement errors = problem.GetProperty("errors");
        Assert.Equal(["account_sid", "auth_token", "from_number", "whatsapp_from"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("'AC' followed by 32 hexadecimal digits", errors.GetProperty("account_sid")[0].GetString());
        Assert.Contains("E.164", problem.GetProperty("detail").GetString());

        JsonElement empty = await (await PutAsync(_app.Operator(), Operator(tenant.Id), new { })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["account_sid", "auth_token", "from_number"], empty.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        JsonElement view = await (await tenant.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK);
        Assert.False(view.GetProperty("set").GetBoolean());
    }

    [Fact]
    public async Task ATenantCannotReadOrChangeAnotherTenantsCredentialsButTheOperatorCan()
    {
        TestTenant a = await _app.CreateTenantAsync();
        TestTenant b = await _app.CreateTenantAsync();
        await (await PutAsync(a.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);

        // B's own endpoint is B's, whatever it names.
        JsonElement seen = await (await b.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK);
        Assert.False(seen.GetProperty("set").GetBoolean());
        var named = new HttpRequestMessage(HttpMethod.Get, Own);
        named.Headers.Add("X-Tenant", a.Slug);
        Assert.False((await (await b.Client.SendAsync(named)).JsonAsync(HttpStatusCode.OK)).GetProperty("set").GetBoolean());
        await (await b.Client.DeleteAsync(Own)).JsonAsync(HttpStatusCode.NotFound);

        // The operator's endpoints are the operator's.
        await (await b.Client.GetAsync(Operator(a.Id))).JsonAsync(HttpStatusCode.Forbidden);
        await (await PutAsync(b.Client, Operator(a.Id), new
        {
            account_sid = "AC00000000000000000000000000000000", auth_token = "00000000000000000000000000000000", from_number = "+15005550009",
        })).JsonAsync(HttpStatusCode.Forbidden);
        await (await b.Client.DeleteAsync(Operator(a.Id))).JsonAsync(HttpStatusCode.Forbidden);

        JsonElement stillA = await (await _app.Operator().GetAsync(Operator(a.Id))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(OwnSid, stillA.GetProperty("account_sid").GetString());

        // The operator sets B's by slug and removes A's; each tenant sees only its own.
        JsonElement setB = await (await PutAsync(_app.Operator(), $"/v1/tenants/{b.Slug}/credentials/twilio", s_ownAccount)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("****" + OwnToken[^4..], setB.GetProperty("auth_token").GetString());
        Assert.True((await (await b.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK)).GetProperty("set").GetBoolean());
        using HttpClient actingForA = _app.Operator();
        actingForA.DefaultRequestHeaders.Add("X-Tenant", a.Slug);
        Assert.Equal(HttpStatusCode.NoContent, (await actingForA.DeleteAsync(Own)).StatusCode);
        Assert.False((await (await a.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK)).GetProperty("set").GetBoolean());
        Assert.True((await (await b.Client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK)).GetProperty("set").GetBoolean());
        await (await _app.Operator().GetAsync($"/v1/tenants/{Guid.NewGuid()}/credentials/twilio")).JsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AfterARestartOnTheSameDatabaseAndKeyRingTheTenantStillTexts()
    {
        string keys = TwilioCredentialsFixture<TApp>.NewKeysDirectory();
        TApp first = fixture.Configure(new TApp(), keys);
        TestTenant tenant;
        await using (first)
        {
            tenant = await first.CreateTenantAsync();
            await (await PutAsync(tenant.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);
            string before = TextLeads.NewNumber();
            await SentReplyAsync(tenant.Client, await TextLeads.PostAsync(tenant.Client, before));
            Assert.Single(fixture.Own.RequestsTo(before));
        }

        await using SameDatabaseApp restarted = fixture.Configure(new SameDatabaseApp(first), keys);
        using HttpClient client = Client(restarted, tenant.ApiKey);
        string after = TextLeads.NewNumber();
        await SentReplyAsync(client, await TextLeads.PostAsync(client, after));
        TwilioRequest request = Assert.Single(fixture.Own.RequestsTo(after));
        Assert.Equal(Basic(OwnSid, OwnToken), request.Authorization);
        Assert.Empty(fixture.Instance.RequestsTo(after));
        Assert.Equal(HttpStatusCode.OK, (await InboundAsync(tenant, TextLeads.NewNumber(), OwnToken, restarted)).StatusCode);
        Assert.Equal("****" + OwnToken[^4..],
            (await (await client.GetAsync(Own)).JsonAsync(HttpStatusCode.OK)).GetProperty("auth_token").GetString());
    }

    [Fact]
    public async Task WithoutItsKeyRingATenantTextsThroughNoAccountAndTheOperatorIsTold()
    {
        TApp first = fixture.Configure(new TApp(), TwilioCredentialsFixture<TApp>.NewKeysDirectory());
        TestTenant tenant;
        await using (first)
        {
            tenant = await first.CreateTenantAsync();
            await (await PutAsync(tenant.Client, Own, s_ownAccount)).JsonAsync(HttpStatusCode.OK);
        }

        // The database without its key directory: a restore from a backup that left the keys behind.
        await using SameDatabaseApp restored = fixture.Configure(new SameDatabaseApp(first), TwilioCredentialsFixture<TApp>.NewKeysDirectory());
        using HttpClient client = Client(restored, tenant.ApiKey);
        JsonElement problem = await (await restored.Operator().GetAsync(Operator(tenant.Id))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("DATA_PROTECTION_KEYS_DIR", problem.GetProperty("detail").GetString());
        await (await client.GetAsync(Own)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains(fixture.Logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains($"tenant {tenant.Slug} cannot be decrypted", StringComparison.Ordinal));

        // Neither its own account (unreadable) nor the instance's (another business's number): the text is only recorded.
        string phone = TextLeads.NewNumber();
        JsonElement reply = await SentReplyAsync(client, await TextLeads.PostAsync(client, phone));
        Assert.StartsWith("log-", reply.GetProperty("provider_message_id").GetString());
        Assert.Empty(fixture.Own.RequestsTo(phone));
        Assert.Empty(fixture.Instance.RequestsTo(phone));
        await (await InboundAsync(tenant, TextLeads.NewNumber(), FakeTwilio.AuthToken, restored)).JsonAsync(HttpStatusCode.Forbidden);

        // Setting the credentials again is the way out.
        await (await PutAsync(restored.Operator(), Operator(tenant.Id), s_ownAccount)).JsonAsync(HttpStatusCode.OK);
        string next = TextLeads.NewNumber();
        await SentReplyAsync(client, await TextLeads.PostAsync(client, next));
        Assert.Equal(Basic(OwnSid, OwnToken), Assert.Single(fixture.Own.RequestsTo(next)).Authorization);
    }

    private static HttpClient Client(LeadlineApp app, string apiKey)
    {
        HttpClient client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}

public sealed class SqliteTwilioCredentialsTests(TwilioCredentialsFixture<SqliteApp> fixture)
    : TwilioCredentialsTests<SqliteApp>(fixture), IClassFixture<TwilioCredentialsFixture<SqliteApp>>;

public sealed class PostgresTwilioCredentialsTests(TwilioCredentialsFixture<PostgresApp> fixture)
    : TwilioCredentialsTests<PostgresApp>(fixture), IClassFixture<TwilioCredentialsFixture<PostgresApp>>;
