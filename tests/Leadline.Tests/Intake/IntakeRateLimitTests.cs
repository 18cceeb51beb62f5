using System.Net;
using System.Text.Json;
using Leadline.Intake;
using Leadline.Tests.Alerts;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Intake;

/// <summary>
/// intake_rate_limit_per_min (default 20): per tenant and sending number (or e-mail address without a phone), more
/// requests in a minute get 429 with Retry-After and leave nothing behind; repeats of accepted events still get
/// their "duplicate" answer.
/// </summary>
public abstract class IntakeRateLimitTests(AlertsFixture fixture)
{
    private LeadlineApp App => fixture.App;

    /// <summary>A tenant whose leads are stored but not answered: these tests are about intake alone.</summary>
    private async Task<TestTenant> TenantAsync(int? limit = null)
    {
        TestTenant tenant = await App.CreateTenantAsync();
        await tenant.SetAsync(limit is int n ? new { auto_reply = false, intake_rate_limit_per_min = n } : new { auto_reply = false });
        return tenant;
    }

    private static Task<HttpResponseMessage> PostAsync(TestTenant tenant, string phone, string eventId, string message) =>
        tenant.Client.PostJsonAsync("/v1/intake/webhook", new { event_id = eventId, phone, first_name = "Jordan", message, channel = "sms" });

    private static string NewEvent() => "evt_" + Guid.NewGuid().ToString("N");

    private static async Task<int> InboundCountAsync(TestTenant tenant, Guid leadId)
    {
        JsonElement lead = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
        return lead.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in");
    }

    [Fact]
    public async Task TheTwentyFirstRequestInAMinuteFromOneNumberIsRefusedAndNotStored()
    {
        TestTenant tenant = await TenantAsync();
        string phone = TextLeads.NewNumber();
        Guid leadId = Guid.Empty;
        for (int i = 1; i <= 20; i++)
        {
            JsonElement accepted = await (await PostAsync(tenant, phone, NewEvent(), $"Question number {i} about a kitchen")).JsonAsync(HttpStatusCode.Accepted);
            Assert.Equal("accepted", accepted.GetProperty("status").GetString());
            leadId = accepted.GetProperty("lead_id").GetGuid();
        }

        string refusedEvent = NewEvent();
        HttpResponseMessage refused = await PostAsync(tenant, phone, refusedEvent, "Question number 21 about a kitchen");
        JsonElement problem = await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        TimeSpan retryAfter = Assert.IsType<TimeSpan>(refused.Headers.RetryAfter?.Delta);
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("20 intake requests", detail);
        Assert.Contains("intake_rate_limit_per_min", detail);
        Assert.Equal(20, await InboundCountAsync(tenant, leadId));

        // Another number is not held back by the first one.
        await (await PostAsync(tenant, TextLeads.NewNumber(), NewEvent(), "Do you do bathrooms?")).JsonAsync(HttpStatusCode.Accepted);

        // A minute later the refused request goes through, and is new: nothing of it had been kept.
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        JsonElement later = await (await PostAsync(tenant, phone, refusedEvent, "Question number 21 about a kitchen")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("accepted", later.GetProperty("status").GetString());
        Assert.Equal(21, await InboundCountAsync(tenant, leadId));
        Assert.Equal(1, await AlertSteps.MetricAsync(App, "intake_rate_limited_total", $"{{channel=\"sms\",tenant=\"{tenant.Slug}\"}}"));
    }

    [Fact]
    public async Task ARepeatOfAnAcceptedEventIsADuplicateNotA429()
    {
        TestTenant tenant = await TenantAsync(limit: 2);
        string phone = TextLeads.NewNumber();
        string first = NewEvent();
        JsonElement accepted = await (await PostAsync(tenant, phone, first, "Do you fit kitchens?")).JsonAsync(HttpStatusCode.Accepted);

        // A repeat while the window has room gives its slot back: the next new event still fits.
        JsonElement again = await (await PostAsync(tenant, phone, first, "Do you fit kitchens?")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        await (await PostAsync(tenant, phone, NewEvent(), "And bathrooms?")).JsonAsync(HttpStatusCode.Accepted);

        // A repeat once the window is full is still answered as the duplicate it is.
        again = await (await PostAsync(tenant, phone, first, "Do you fit kitchens?")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        Assert.Equal(accepted.GetProperty("message_id").GetGuid(), again.GetProperty("message_id").GetGuid());
        await (await PostAsync(tenant, phone, NewEvent(), "And floors?")).JsonAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task TextsOverTheLimitGet429AfterTheSignatureCheckAndARepeatedMessageSidItsUsualAnswer()
    {
        TestTenant tenant = await TenantAsync(limit: 2);
        string phone = TextLeads.NewNumber();
        string sid = "SM" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(tenant, phone, sid, "Hi, are you open Saturday?")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(tenant, phone, "SM" + Guid.NewGuid().ToString("N"), "And Sunday?")).StatusCode);

        HttpResponseMessage repeat = await TextAsync(tenant, phone, sid, "Hi, are you open Saturday?");
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(TwilioWebhooks.EmptyTwiml, await repeat.Content.ReadAsStringAsync());

        HttpResponseMessage refused = await TextAsync(tenant, phone, "SM" + Guid.NewGuid().ToString("N"), "Hello?");
        await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        JsonElement leads = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Guid leadId = Assert.Single(leads.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(2, await InboundCountAsync(tenant, leadId));

        // Forged requests are refused for their signature before the limit, so they take no sender's slots.
        string other = TextLeads.NewNumber();
        for (int i = 0; i < 3; i++)
        {
            HttpResponseMessage forged = await TextAsync(tenant, other, "SM" + Guid.NewGuid().ToString("N"), "hi", signature: "bm90IGEgc2lnbmF0dXJl");
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(tenant, other, "SM" + Guid.NewGuid().ToString("N"), "Hi there")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(tenant, other, "SM" + Guid.NewGuid().ToString("N"), "Anyone?")).StatusCode);
    }

    [Fact]
    public async Task WebFormsWithoutAPhoneAreLimitedByEmailAddress()
    {
        TestTenant tenant = await TenantAsync(limit: 1);
        string email = EmailLeads.NewAddress();
        Task<HttpResponseMessage> FormAsync(string from, string message) =>
            tenant.Client.PostJsonAsync("/webhooks/web-form", new { name = "Jordan Lee", email = from, message });

        await (await FormAsync(email, "Do you fit kitchens?")).JsonAsync(HttpStatusCode.Accepted);
        await (await FormAsync(email.ToUpperInvariant(), "And bathrooms?")).JsonAsync(HttpStatusCode.TooManyRequests);
        await (await FormAsync(EmailLeads.NewAddress(), "Do you fit kitchens?")).JsonAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task ALimitOfZeroIsNoLimit()
    {
        TestTenant tenant = await TenantAsync(limit: 0);
        string phone = TextLeads.NewNumber();
        for (int i = 1; i <= 25; i++)
        {
            await (await PostAsync(tenant, phone, NewEvent(), $"Question number {i} about a kitchen")).JsonAsync(HttpStatusCode.Accepted);
        }
    }

    private async Task<HttpResponseMessage> TextAsync(TestTenant tenant, string from, string sid, string body, string? signature = null)
    {
        string path = $"/webhooks/sms/inbound?tenant={tenant.Slug}";
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid,
            ["MessageSid"] = sid,
            ["From"] = from,
            ["To"] = TwilioFixture<SqliteApp>.SmsFrom,
            ["Body"] = body,
            ["NumMedia"] = "0",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(FakeTwilio.AuthToken,
            TwilioFixture<SqliteApp>.PublicBaseUrl + path, form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value]))));
        return await App.CreateClient().SendAsync(request);
    }
}

public sealed class SqliteIntakeRateLimitTests(AlertsFixture<SqliteApp> fixture)
    : IntakeRateLimitTests(fixture), IClassFixture<AlertsFixture<SqliteApp>>;

public sealed class PostgresIntakeRateLimitTests(AlertsFixture<PostgresApp> fixture)
    : IntakeRateLimitTests(fixture), IClassFixture<AlertsFixture<PostgresApp>>;
