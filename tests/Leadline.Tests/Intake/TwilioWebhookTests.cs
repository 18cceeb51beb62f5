using System.Net;
using System.Text.Json;
using Leadline.Intake;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Intake;

/// <summary>Inbound SMS and WhatsApp, status callbacks and the compliance keywords, over HTTP with signed requests.</summary>
public abstract class TwilioWebhookTests(LeadlineApp app)
{
    private const string Booking = "https://cal.com/bright-smile/visit";

    private Task<TestTenant> TenantAsync(bool approve = false) =>
        SampleFaqs.TenantAsync(app, Booking, approve ? new { approve_before_send = true } : null);

    private static string NewPhone() => "+1415555" + Random.Shared.Next(1000, 9999);

    private static string NewSid() => "SM" + Guid.NewGuid().ToString("N");

    /// <summary>Posts a form the way Twilio does, signed for the public URL (or with the given signature).</summary>
    private async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, string? signature = null, bool sign = true)
    {
        string url = TwilioFixture<SqliteApp>.PublicBaseUrl + path;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (sign)
        {
            request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(FakeTwilio.AuthToken, url,
                form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value]))));
        }
        return await app.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> TextAsync(TestTenant tenant, string from, string body, string? sid = null, string channel = "sms") =>
        PostAsync($"/webhooks/{channel}/inbound?tenant={tenant.Slug}", new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid,
            ["MessageSid"] = sid ?? NewSid(),
            ["From"] = channel == "whatsapp" ? "whatsapp:" + from : from,
            ["To"] = channel == "whatsapp" ? "whatsapp:" + TwilioFixture<SqliteApp>.SmsFrom : TwilioFixture<SqliteApp>.SmsFrom,
            ["Body"] = body,
            ["NumMedia"] = "0",
            ["ProfileName"] = "Lina Haddad",
        });

    private static async Task<JsonElement> LeadByPhoneAsync(TestTenant tenant, string phone, Func<JsonElement, bool>? done = null)
    {
        JsonElement list = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Guid id = list.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("phone").GetString() == phone).GetProperty("id").GetGuid();
        return await tenant.Client.WaitForLeadAsync(id, done ?? (_ => true));
    }

    private static int InboundCount(JsonElement lead) =>
        lead.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in");

    [Fact]
    public async Task ASignedTextBecomesALeadAndGetsEmptyTwimlAndAReply()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        HttpResponseMessage response = await TextAsync(tenant, phone, "Do you accept dental insurance?");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TwilioWebhooks.EmptyTwiml, await response.Content.ReadAsStringAsync());

        JsonElement lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        Assert.Equal("sms", lead.GetProperty("channel").GetString());
        Assert.Equal("Lina", lead.GetProperty("first_name").GetString());
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sms", reply.GetProperty("channel").GetString());
        Assert.Contains("Delta Dental", reply.GetProperty("body").GetString());
    }

    [Fact]
    public async Task AWhatsAppMessageKeepsItsChannelAndTheNumberWithoutPrefix()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        (await TextAsync(tenant, phone, "What are your opening hours?", channel: "whatsapp")).EnsureSuccessStatusCode();
        JsonElement lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any());
        Assert.Equal("whatsapp", lead.GetProperty("channel").GetString());
        Assert.Equal("whatsapp", Assert.Single(lead.Outbound()).GetProperty("channel").GetString());
    }

    [Fact]
    public async Task TheSameMessageSidTwiceIsOneLeadAndOneMessage()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        string sid = NewSid();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => (await TextAsync(tenant, phone, "Hi, do you do whitening?", sid)).EnsureSuccessStatusCode()));
        JsonElement lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any());
        Assert.Equal(1, InboundCount(lead));
        Assert.Single(lead.Outbound());
    }

    [Fact]
    public async Task ABadOrMissingSignatureIs403AndStoresNothing()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        var form = new Dictionary<string, string> { ["MessageSid"] = NewSid(), ["From"] = phone, ["Body"] = "hello" };
        HttpResponseMessage forged = await PostAsync($"/webhooks/sms/inbound?tenant={tenant.Slug}", form, signature: "bm90IGEgc2lnbmF0dXJl");
        JsonElement problem = await forged.JsonAsync(HttpStatusCode.Forbidden);
        Assert.Contains("PUBLIC_BASE_URL", problem.GetProperty("detail").GetString());
        await (await PostAsync($"/webhooks/sms/inbound?tenant={tenant.Slug}", form, sign: false)).JsonAsync(HttpStatusCode.Forbidden);

        // Signed for another tenant's URL: the tenant is part of what is signed.
        string other = TwilioFixture<SqliteApp>.PublicBaseUrl + "/webhooks/sms/inbound?tenant=default";
        string signature = TwilioSignature.Compute(FakeTwilio.AuthToken, other,
            form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value])));
        await (await PostAsync($"/webhooks/sms/inbound?tenant={tenant.Slug}", form, signature)).JsonAsync(HttpStatusCode.Forbidden);

        JsonElement leads = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(leads.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task StopSuppressesAReplyQueuedBeforeItAndIsConfirmedOnce()
    {
        TestTenant tenant = await TenantAsync(approve: true);
        string phone = NewPhone();
        (await TextAsync(tenant, phone, "Do you accept dental insurance?")).EnsureSuccessStatusCode();
        JsonElement lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any());
        Guid draft = Assert.Single(lead.Outbound()).GetProperty("id").GetGuid();

        (await TextAsync(tenant, phone, "STOP")).EnsureSuccessStatusCode();
        lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        JsonElement confirmation = lead.Outbound().Single(m => m.GetProperty("status").GetString() == "sent");
        Assert.Equal("compliance", confirmation.GetProperty("author").GetString());
        Assert.Contains("unsubscribed", confirmation.GetProperty("body").GetString());
        Assert.Contains("Bright Smile", confirmation.GetProperty("body").GetString());

        // The draft written before the STOP is approved afterwards: it is suppressed, not sent.
        await (await tenant.Client.PostAsync($"/v1/messages/{draft}/approve", null)).JsonAsync(HttpStatusCode.Accepted);
        lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "suppressed"));
        Assert.Equal("suppressed", lead.Outbound().Single(m => m.GetProperty("id").GetGuid() == draft).GetProperty("status").GetString());

        // A second opt-out in other words gets no second confirmation, and no bot reply.
        (await TextAsync(tenant, phone, "please stop texting me")).EnsureSuccessStatusCode();
        await Task.Delay(500);
        lead = await LeadByPhoneAsync(tenant, phone);
        Assert.Equal(3, InboundCount(lead));
        Assert.Equal(2, lead.Outbound().Count());
        Assert.Single(lead.Outbound(), m => m.GetProperty("author").GetString() == "compliance");

        JsonElement trail = await (await tenant.Client.GetAsync($"/v1/leads/{lead.GetProperty("id").GetGuid()}/audit?kind=compliance.opt_out"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, trail.GetArrayLength());
        Assert.True(trail[0].GetProperty("data").GetProperty("changed").GetBoolean());
        Assert.False(trail[1].GetProperty("data").GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task StartOptsBackInAndTheBotAnswersAgain()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        (await TextAsync(tenant, phone, "Stop")).EnsureSuccessStatusCode();
        await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        (await TextAsync(tenant, phone, "START")).EnsureSuccessStatusCode();
        JsonElement lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Count(m => m.GetProperty("status").GetString() == "sent") == 2);
        Assert.Contains("subscribed again", lead.Outbound().Last().GetProperty("body").GetString());

        (await TextAsync(tenant, phone, "Do you accept dental insurance?")).EnsureSuccessStatusCode();
        lead = await LeadByPhoneAsync(tenant, phone, l => l.Outbound().Count(m => m.GetProperty("status").GetString() == "sent") == 3);
        Assert.Contains("Delta Dental", lead.Outbound().Last().GetProperty("body").GetString());

        // The evidence: who, what they wrote, where it came from, when.
        JsonElement consent = await (await tenant.Client.GetAsync($"/v1/leads/{lead.GetProperty("id").GetGuid()}/consent"))
            .JsonAsync(HttpStatusCode.OK);
        JsonElement contact = Assert.Single(consent.GetProperty("contacts").EnumerateArray());
        Assert.Equal(phone, contact.GetProperty("contact").GetString());
        Assert.False(contact.GetProperty("opted_out").GetBoolean());
        var events = consent.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["opt_out", "opt_in"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(["Stop", "START"], events.Select(e => e.GetProperty("wording").GetString()));
        Assert.All(events, e => Assert.Equal("twilio-sms", e.GetProperty("source").GetString()));
        Assert.All(events, e => Assert.StartsWith("SM", e.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task HelpAndArabicOptOutAreAnsweredInTheLeadsLanguage()
    {
        TestTenant tenant = await TenantAsync();
        string english = NewPhone();
        (await TextAsync(tenant, english, "HELP")).EnsureSuccessStatusCode();
        JsonElement help = Assert.Single((await LeadByPhoneAsync(tenant, english, l => l.Outbound().Any())).Outbound());
        Assert.Contains("Bright Smile", help.GetProperty("body").GetString());
        Assert.Contains("STOP", help.GetProperty("body").GetString());
        Assert.Contains(Booking, help.GetProperty("body").GetString());

        string arabic = NewPhone();
        (await TextAsync(tenant, arabic, "إلغاء")).EnsureSuccessStatusCode();
        JsonElement confirmation = Assert.Single((await LeadByPhoneAsync(tenant, arabic, l => l.Outbound().Any())).Outbound());
        Assert.Contains("تم إلغاء اشتراكك", confirmation.GetProperty("body").GetString());
    }

    [Fact]
    public async Task StatusCallbacksOnlyMoveAMessageForward()
    {
        TestTenant tenant = await TenantAsync();
        string phone = NewPhone();
        (await TextAsync(tenant, phone, "Do you accept dental insurance?")).EnsureSuccessStatusCode();
        JsonElement reply = Assert.Single((await LeadByPhoneAsync(tenant, phone,
            l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"))).Outbound());
        string sid = reply.GetProperty("provider_message_id").GetString()!;

        async Task<string> CallbackAsync(string status)
        {
            (await PostAsync($"/webhooks/twilio/status?tenant={tenant.Slug}", new Dictionary<string, string>
            {
                ["MessageSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = FakeTwilio.AccountSid,
            })).EnsureSuccessStatusCode();
            JsonElement lead = await LeadByPhoneAsync(tenant, phone);
            return Assert.Single(lead.Outbound()).GetProperty("status").GetString()!;
        }

        Assert.Equal("sent", await CallbackAsync("queued"));
        Assert.Equal("delivered", await CallbackAsync("delivered"));
        Assert.Equal("delivered", await CallbackAsync("sent"));
        Assert.Equal("delivered", await CallbackAsync("undelivered"));

        // Unsigned callbacks change nothing.
        await (await PostAsync($"/webhooks/twilio/status?tenant={tenant.Slug}",
            new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" }, sign: false)).JsonAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class SqliteTwilioWebhookTests(TwilioFixture<SqliteApp> fixture)
    : TwilioWebhookTests(fixture.App), IClassFixture<TwilioFixture<SqliteApp>>;

public sealed class PostgresTwilioWebhookTests(TwilioFixture<PostgresApp> fixture)
    : TwilioWebhookTests(fixture.App), IClassFixture<TwilioFixture<PostgresApp>>;
