using System.Diagnostics;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

public abstract class SendGridDeliveryTests(LeadlineApp app, FakeSendGrid sendGrid)
{
    [Fact]
    public async Task EmailLeadGetsAThreadedReplyThroughSendGrid()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "Acme Kitchens" });
        string email = EmailLeads.NewAddress();
        string inboundId = EmailLeads.NewMessageId();
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email, "Kitchen remodel quote", inboundId);

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Number, lead.GetProperty("speed_to_lead_ms").ValueKind);

        SendGridRequest request = Assert.Single(sendGrid.RequestsFor(email));
        Assert.Equal(202, request.Status);
        Assert.StartsWith("sg", reply.GetProperty("provider_message_id").GetString());
        JsonElement body = request.Body;
        JsonElement personalization = Assert.Single(body.GetProperty("personalizations").EnumerateArray());
        JsonElement to = Assert.Single(personalization.GetProperty("to").EnumerateArray());
        Assert.Equal(email, to.GetProperty("email").GetString());
        Assert.Equal("Jordan Lee", to.GetProperty("name").GetString());
        Assert.Equal(reply.GetProperty("id").GetGuid().ToString("N"), personalization.GetProperty("custom_args").GetProperty("leadline_message_id").GetString());
        Assert.Equal(SendGridFixture<SqliteApp>.Sender, body.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Acme Kitchens", body.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("Re: Kitchen remodel quote", body.GetProperty("subject").GetString());
        JsonElement content = Assert.Single(body.GetProperty("content").EnumerateArray());
        Assert.Equal("text/plain", content.GetProperty("type").GetString());
        Assert.Equal(reply.GetProperty("body").GetString(), content.GetProperty("value").GetString());
        Assert.Equal(inboundId, body.GetProperty("headers").GetProperty("In-Reply-To").GetString());
        Assert.Equal(inboundId, body.GetProperty("headers").GetProperty("References").GetString());
    }

    [Fact]
    public async Task ServerErrorIsRetriedAndThenSent()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        sendGrid.Fail(email, 500, times: 1);
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(2, reply.GetProperty("attempts").GetInt32());
        Assert.Equal([500, 202], sendGrid.RequestsFor(email).Select(r => r.Status));
    }

    [Fact]
    public async Task BadRequestIsPermanentAndShowsSendGridsReason()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        const string reason = "The from address does not match a verified Sender Identity.";
        sendGrid.Fail(email, 400, times: 5, message: reason);
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("failed", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        string error = reply.GetProperty("last_error").GetString()!;
        Assert.Contains("400", error);
        Assert.Contains(reason, error);

        // Give a wrong retry (the backoff here is 50 ms) time to happen before checking that none did.
        await Task.Delay(500);
        Assert.Single(sendGrid.RequestsFor(email));
    }

    [Fact]
    public async Task TooManyRequestsWaitsForRetryAfter()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        sendGrid.Fail(email, 429, times: 1, retryAfter: "1");
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(2, reply.GetProperty("attempts").GetInt32());
        IReadOnlyList<SendGridRequest> requests = sendGrid.RequestsFor(email);
        Assert.Equal([429, 202], requests.Select(r => r.Status));
        // Without Retry-After the queue would come back after about 50 ms; SendGrid asked for a second.
        TimeSpan waited = Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"the retry came after {waited.TotalMilliseconds:0} ms, before Retry-After");
    }
}

public sealed class SqliteSendGridDeliveryTests(SendGridFixture<SqliteApp> fixture)
    : SendGridDeliveryTests(fixture.App, fixture.SendGrid), IClassFixture<SendGridFixture<SqliteApp>>;

public sealed class PostgresSendGridDeliveryTests(SendGridFixture<PostgresApp> fixture)
    : SendGridDeliveryTests(fixture.App, fixture.SendGrid), IClassFixture<SendGridFixture<PostgresApp>>;
