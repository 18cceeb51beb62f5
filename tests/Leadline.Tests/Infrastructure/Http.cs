using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leadline.Tests.Infrastructure;

public static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, TestJson.Options);

    /// <summary>Polls the lead until <paramref name="done"/> holds or the deadline passes; returns the last view.</summary>
    public static async Task<JsonElement> WaitForLeadAsync(this HttpClient client, Guid leadId, Func<JsonElement, bool> done, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        JsonElement lead;
        do
        {
            lead = await (await client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
            if (done(lead))
            {
                return lead;
            }
            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);
        return lead;
    }

    public static IEnumerable<JsonElement> Outbound(this JsonElement lead) =>
        lead.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("direction").GetString() == "out");
}
