using System.Globalization;
using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>Text-message leads through the public API, each from a number of its own so tests can share a fake Twilio.</summary>
public static class TextLeads
{
    public static string NewNumber() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>Posts a lead on <paramref name="channel"/> (sms, whatsapp, voice...) to the intake webhook and returns its id.</summary>
    public static async Task<Guid> PostAsync(
        HttpClient client, string phone, string channel = "sms", string? email = null,
        string message = "Hi, how much would a kitchen remodel cost?")
    {
        var response = await client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "evt_" + Guid.NewGuid().ToString("N"),
            phone,
            email,
            first_name = "Jordan",
            message,
            channel,
        });
        JsonElement body = await response.JsonAsync(HttpStatusCode.Accepted);
        return body.GetProperty("lead_id").GetGuid();
    }
}
