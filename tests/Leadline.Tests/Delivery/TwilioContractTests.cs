using System.Net;
using System.Text.Json;
using Leadline.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Leadline.Tests.Delivery;

/// <summary>
/// Our real Twilio requests, made by the app, checked by Prism against Twilio's official OpenAPI description: a
/// request the description rejects makes the reply fail and these tests with it.
/// </summary>
public abstract class TwilioContractTests<TApp>(TwilioContractFixture<TApp> fixture, ITestOutputHelper output) where TApp : LeadlineApp, new()
{
    // The SID of the example Message in the description, which Prism answers with.
    private const string ExampleSid = "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    // The SID of the example Call in the description.
    private const string ExampleCallSid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private async Task<RecordedExchange> ReplyThroughPrismAsync(string channel)
    {
        output.WriteLine($"Prism started in {fixture.Prism.Startup.TotalSeconds:0.0} s");
        TestTenant tenant = await fixture.App.CreateTenantAsync();
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone, channel);

        JsonElement reply = Assert.Single((await EmailLeads.WaitForReplyAsync(tenant.Client, leadId)).Outbound());
        string to = channel == "whatsapp" ? "whatsapp:" + phone : phone;
        RecordedExchange exchange = Assert.Single(fixture.Exchanges, e => Field(e, "To") == to);
        Assert.True(exchange.Status == 201, $"Prism answered {exchange.Status}: {exchange.ResponseBody}");
        Assert.Empty(RequestViolations(exchange));
        Assert.Equal("sent", reply.Status());
        Assert.Equal(ExampleSid, reply.GetProperty("provider_message_id").GetString());
        return exchange;
    }

    [PrismFact]
    public async Task SmsReplyIsARequestTwiliosDescriptionAccepts()
    {
        RecordedExchange exchange = await ReplyThroughPrismAsync("sms");
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", exchange.Path);
        Assert.Equal(TwilioContractFixture<TApp>.PublicBaseUrl + "/webhooks/twilio/status", Field(exchange, "StatusCallback"));
    }

    [PrismFact]
    public async Task WhatsAppReplyIsARequestTwiliosDescriptionAccepts()
    {
        RecordedExchange exchange = await ReplyThroughPrismAsync("whatsapp");
        Assert.Equal("whatsapp:" + TwilioContractFixture<TApp>.SmsFrom, Field(exchange, "From"));
    }

    [PrismFact]
    public async Task ARequestTheDescriptionRejectsFailsPermanently()
    {
        // Proof that the contract can fail: an account SID that breaks the path's pattern (^AC[0-9a-fA-F]{32}$).
        IOutboundChannel sms = fixture.App.Services.GetServices<IOutboundChannel>().Single(c => c.Name == TwilioChannel.Sms);
        string phone = TextLeads.NewNumber();
        var message = new OutboundMessage
        {
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            To = phone,
            From = "replies@leadline.test",
            Body = "Hello.",
            Twilio = new TwilioAccount("AC123", FakeTwilio.AuthToken, TwilioContractFixture<TApp>.SmsFrom, null),
        };

        var error = await Assert.ThrowsAsync<DeliveryException>(() => sms.SendAsync(message, default));
        Assert.True(error.Permanent);
        Assert.Contains("422", error.Message);
        RecordedExchange exchange = Assert.Single(fixture.Exchanges, e => e.Path == "/2010-04-01/Accounts/AC123/Messages.json");
        Assert.Equal(422, exchange.Status);
        Assert.Contains("accountsid", exchange.ResponseBody, StringComparison.OrdinalIgnoreCase);
    }

    [PrismFact]
    public async Task QualificationCallIsARequestTwiliosDescriptionAccepts()
    {
        // A call waits for the lead's calling hours (8:00-21:00): a tenant where it is about noon now keeps the test
        // independent of the hour it runs at. Etc/GMT-N is N hours ahead of UTC.
        int offset = 12 - DateTime.UtcNow.Hour;
        string zone = offset == 0 ? "Etc/UTC" : $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}";
        TestTenant tenant = await fixture.App.CreateTenantAsync(new { timezone = zone, business_name = "Harbor Plumbing" });
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(tenant.Client, phone, channel: "web_form");
        JsonElement started = await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        Guid callId = started.GetProperty("id").GetGuid();

        Assert.True(await EmailLeads.EventuallyAsync(() => fixture.Exchanges.Any(e => e.Path.EndsWith("/Calls.json", StringComparison.Ordinal)
            && Field(e, "To") == phone)), "no Calls request reached Prism");
        RecordedExchange exchange = Assert.Single(fixture.Exchanges, e => e.Path.EndsWith("/Calls.json", StringComparison.Ordinal) && Field(e, "To") == phone);
        Assert.True(exchange.Status == 201, $"Prism answered {exchange.Status}: {exchange.ResponseBody}");
        Assert.Empty(RequestViolations(exchange));
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Calls.json", exchange.Path);
        string site = TwilioContractFixture<TApp>.PublicBaseUrl;
        Assert.Equal($"{site}/webhooks/voice/qualify/start?tenant={tenant.Slug}&call={callId}", Field(exchange, "Url"));
        Assert.Equal($"{site}/webhooks/voice/qualify/status?tenant={tenant.Slug}&call={callId}", Field(exchange, "StatusCallback"));

        // The example Call's SID, which Prism answers with, is the one recorded.
        JsonElement call;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            call = (await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/calls")).JsonAsync(HttpStatusCode.OK))[0];
            await Task.Delay(25);
        }
        while (call.GetProperty("status").GetString() != "dialing" && DateTime.UtcNow < deadline);
        Assert.Equal("dialing", call.GetProperty("status").GetString());
        Assert.Equal(ExampleCallSid, call.GetProperty("provider_call_sid").GetString());
    }

    private static string? Field(RecordedExchange exchange, string name) =>
        exchange.RequestBody.Split('&').Select(pair => pair.Split('=', 2))
            .Where(p => p.Length == 2 && WebUtility.UrlDecode(p[0]) == name)
            .Select(p => WebUtility.UrlDecode(p[1]))
            .FirstOrDefault();

    /// <summary>The entries of Prism's <c>sl-violations</c> header about the request (the others are about its own examples).</summary>
    private static List<string> RequestViolations(RecordedExchange exchange)
    {
        if (exchange.Violations is not { Length: > 0 } header)
        {
            return [];
        }
        try
        {
            using JsonDocument doc = JsonDocument.Parse(header);
            return [.. doc.RootElement.EnumerateArray()
                .Where(v => v.TryGetProperty("location", out JsonElement l) && l.ValueKind == JsonValueKind.Array
                    && l.GetArrayLength() > 0 && l[0].GetString() == "request")
                .Select(v => v.GetRawText())];
        }
        catch (JsonException)
        {
            return [header];
        }
    }
}

public sealed class SqliteTwilioContractTests(TwilioContractFixture<SqliteApp> fixture, ITestOutputHelper output)
    : TwilioContractTests<SqliteApp>(fixture, output), IClassFixture<TwilioContractFixture<SqliteApp>>;

public sealed class PostgresTwilioContractTests(TwilioContractFixture<PostgresApp> fixture, ITestOutputHelper output)
    : TwilioContractTests<PostgresApp>(fixture, output), IClassFixture<TwilioContractFixture<PostgresApp>>;
