using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>Replies to text-message leads through Twilio's Messages API (a loopback fake), on both databases.</summary>
public abstract class TwilioDeliveryTests(LeadlineApp app, FakeTwilio twilio)
{
    private static readonly string s_basicAuth =
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}"));

    [Fact]
    public async Task SmsLeadGetsItsReplyThroughTwilio()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "Acme Kitchens" });
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone);

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Number, lead.GetProperty("speed_to_lead_ms").ValueKind);

        TwilioRequest request = Assert.Single(twilio.RequestsTo(phone));
        Assert.Equal(201, request.Status);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", request.Path);
        Assert.Equal(s_basicAuth, request.Authorization);
        Assert.Equal(phone, request.Field("To"));
        Assert.Equal(TwilioFixture<SqliteApp>.SmsFrom, request.Field("From"));
        Assert.Equal(reply.GetProperty("body").GetString(), request.Field("Body"));
        Assert.Equal(TwilioFixture<SqliteApp>.PublicBaseUrl + "/webhooks/twilio/status", request.Field("StatusCallback"));
        Assert.Matches("^SM[0-9a-f]{32}$", request.MessageSid);
        Assert.Equal(request.MessageSid, reply.GetProperty("provider_message_id").GetString());
    }

    [Fact]
    public async Task WhatsAppLeadGetsItsReplyOnWhatsApp()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone, channel: "whatsapp");

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        Assert.Equal("sent", reply.Status());
        TwilioRequest request = Assert.Single(twilio.RequestsTo(phone));
        Assert.Equal("whatsapp:" + phone, request.Field("To"));
        Assert.Equal("whatsapp:" + TwilioFixture<SqliteApp>.WhatsAppFrom, request.Field("From"));
        Assert.Equal(request.MessageSid, reply.GetProperty("provider_message_id").GetString());
    }

    [Fact]
    public async Task MissedCallIsAnsweredBySms()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone, channel: "voice");

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(phone, Assert.Single(twilio.RequestsTo(phone)).Field("To"));
    }

    [Fact]
    public async Task OptedOutNumberFailsForGoodWithTwiliosReason()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        twilio.OptedOut(phone, times: 5);
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone);

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        Assert.Equal("failed", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        string error = reply.GetProperty("last_error").GetString()!;
        Assert.Contains("21610", error);
        Assert.Contains("unsubscribed recipient", error);

        // Give a wrong retry (the backoff here is 50 ms) time to happen before checking that none did.
        await Task.Delay(500);
        Assert.Single(twilio.RequestsTo(phone));

        // The number is now known to have opted out: the next reply to it is held back, Twilio is not asked again.
        await TextLeads.PostAsync(tenant.Client, phone, message: "Are you open on Saturdays?");
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "suppressed"));
        Assert.Contains(lead.Outbound(), m => m.Status() == "suppressed" && m.GetProperty("last_error").GetString() == "opted_out");
        Assert.Single(twilio.RequestsTo(phone));
    }

    [Fact]
    public async Task InvalidNumberIsPermanentAndTheErrorDoesNotRepeatTheNumber()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        twilio.InvalidNumber(phone, times: 5);
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone);

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        Assert.Equal("failed", reply.Status());
        string error = reply.GetProperty("last_error").GetString()!;
        Assert.Contains("21211", error);
        Assert.DoesNotContain(phone[2..], error);
    }

    [Fact]
    public async Task ServerErrorIsRetriedAndThenSent()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        twilio.ServerError(phone);
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(2, reply.GetProperty("attempts").GetInt32());
        IReadOnlyList<TwilioRequest> requests = twilio.RequestsTo(phone);
        Assert.Equal([500, 201], requests.Select(r => r.Status));
        Assert.Equal(requests[1].MessageSid, reply.GetProperty("provider_message_id").GetString());
    }

    [Fact]
    public async Task TooManyRequestsWaitsForRetryAfter()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        twilio.TooManyRequests(phone, retryAfter: "1");
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(2, reply.GetProperty("attempts").GetInt32());
        IReadOnlyList<TwilioRequest> requests = twilio.RequestsTo(phone);
        Assert.Equal([429, 201], requests.Select(r => r.Status));
        // Without Retry-After the queue would come back after about 50 ms; Twilio asked for a second.
        TimeSpan waited = Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"the retry came after {waited.TotalMilliseconds:0} ms, before Retry-After");
    }

    [Fact]
    public async Task EmailConversationWithAPhoneStillGetsEmail()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone, channel: "email", email: EmailLeads.NewAddress());

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        Assert.Equal("sent", reply.Status());
        // No e-mail provider is configured here, so the log channel records the e-mail.
        Assert.StartsWith("log-", reply.GetProperty("provider_message_id").GetString());
        Assert.Empty(twilio.RequestsTo(phone));
    }
}

public sealed class SqliteTwilioDeliveryTests(TwilioFixture<SqliteApp> fixture)
    : TwilioDeliveryTests(fixture.App, fixture.Twilio), IClassFixture<TwilioFixture<SqliteApp>>;

public sealed class PostgresTwilioDeliveryTests(TwilioFixture<PostgresApp> fixture)
    : TwilioDeliveryTests(fixture.App, fixture.Twilio), IClassFixture<TwilioFixture<PostgresApp>>;
