using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Voice;

/// <summary>Tenants, leads and waits the qualification call tests share.</summary>
public static class QualificationCallSupport
{
    /// <summary>A plumber with services to match answers against and a booking link; <paramref name="settings"/> are added to its settings.</summary>
    public static async Task<TestTenant> TenantAsync(LeadlineApp app, string bookingLink, object? settings = null, object? tenant = null)
    {
        var created = new Dictionary<string, object?> { ["business_name"] = "Harbor Plumbing", ["booking_link"] = bookingLink };
        Merge(created, tenant);
        TestTenant t = await app.CreateTenantAsync(created);
        var body = new Dictionary<string, object?> { ["services"] = new[] { "Water heater installation", "Drain cleaning", "Leak repair" } };
        Merge(body, settings);
        HttpResponseMessage response = await t.Client.PutAsync("/v1/admin/settings",
            new StringContent(JsonSerializer.Serialize(body, TestJson.Options), Encoding.UTF8, "application/json"));
        await response.JsonAsync(HttpStatusCode.OK);
        return t;
    }

    private static void Merge(Dictionary<string, object?> into, object? extra)
    {
        if (extra is null)
        {
            return;
        }
        foreach (JsonProperty p in JsonSerializer.SerializeToElement(extra, TestJson.Options).EnumerateObject())
        {
            into[p.Name] = p.Value;
        }
    }

    /// <summary>A lead through the web form (seed 001 body): the number comes with an inquiry, which is consent to be called about it.</summary>
    public static async Task<Guid> FormLeadAsync(TestTenant tenant, string? phone, string? email = null,
        string message = "Hello, I have a question about your services.")
    {
        HttpResponseMessage response = await tenant.Client.PostJsonAsync("/webhooks/web-form", new { name = "Jordan Lee", phone, email, message });
        return (await response.JsonAsync(HttpStatusCode.Accepted)).GetProperty("lead_id").GetGuid();
    }

    /// <summary>Waits until the app has placed a call to <paramref name="phone"/> and returns it.</summary>
    public static async Task<TwilioCall> DialedAsync(FakeTwilio twilio, string phone, int timeoutMs = 10_000)
    {
        Assert.True(await EmailLeads.EventuallyAsync(() => twilio.Calls.Any(c => c.To == phone), timeoutMs), $"no call to {phone} was placed");
        return twilio.Calls.Single(c => c.To == phone);
    }

    /// <summary>Polls the lead's latest call until <paramref name="done"/> holds or the deadline passes; returns the last view.</summary>
    public static async Task<JsonElement> WaitForCallAsync(TestTenant tenant, Guid leadId, Func<JsonElement, bool> done, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        JsonElement call;
        do
        {
            JsonElement calls = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/calls")).JsonAsync(HttpStatusCode.OK);
            call = calls.EnumerateArray().FirstOrDefault();
            if (call.ValueKind == JsonValueKind.Object && done(call))
            {
                return call;
            }
            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);
        return call;
    }

    /// <summary>Answers the questions in turn, starting with the one <paramref name="twiml"/> asks; returns the last TwiML.</summary>
    public static async Task<XElement> AnswerAllAsync(QualificationCallDriver driver, TwilioCall call, XElement twiml, IEnumerable<string> answers)
    {
        foreach (string answer in answers)
        {
            twiml = await driver.SayAsync(call, twiml, answer);
        }
        return twiml;
    }

    public static string? Channel(this JsonElement message) => message.GetProperty("channel").GetString();
}
