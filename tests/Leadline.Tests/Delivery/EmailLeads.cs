using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>E-mail leads through the public API, each from an address of its own so tests can share a mail server.</summary>
public static class EmailLeads
{
    public static string NewAddress() => $"lead-{Guid.NewGuid():N}@example.com";

    public static string NewMessageId() => $"<{Guid.NewGuid():N}@mail.example.com>";

    /// <summary>Posts an e-mail lead to the intake webhook and returns its id.</summary>
    public static async Task<Guid> PostAsync(
        HttpClient client, string email, string subject = "Kitchen remodel quote", string? messageId = null,
        string message = "Hi, how much would a kitchen remodel cost?")
    {
        var response = await client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "evt_" + Guid.NewGuid().ToString("N"),
            email,
            first_name = "Jordan",
            last_name = "Lee",
            subject,
            message,
            message_id = messageId,
            channel = "email",
        });
        JsonElement body = await response.JsonAsync(HttpStatusCode.Accepted);
        return body.GetProperty("lead_id").GetGuid();
    }

    /// <summary>
    /// Waits until the lead's reply is sent (and its speed-to-lead recorded) or has failed for good, and returns the
    /// lead. The lead view reads the lead and its messages in two statements, so a sent message can show up a
    /// moment before the lead row that the same transaction updated.
    /// </summary>
    public static Task<JsonElement> WaitForReplyAsync(HttpClient client, Guid leadId, int timeoutMs = 15_000) =>
        client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "failed")
            || (l.Outbound().Any(m => m.Status() == "sent") && l.GetProperty("speed_to_lead_ms").ValueKind == JsonValueKind.Number), timeoutMs);

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(25);
        }
        return true;
    }

    public static string Status(this JsonElement message) => message.GetProperty("status").GetString()!;
}
