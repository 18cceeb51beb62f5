using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Leadline.Delivery;
using Leadline.Jobs;
using Leadline.Observability;

namespace Leadline.Voice;

/// <summary>
/// Places a call with Twilio's Calls API (<c>POST /2010-04-01/Accounts/{AccountSid}/Calls.json</c>, shape from
/// <c>specs/twilio/twilio_api_v2010.json</c>): Twilio rings the lead and, once answered, fetches our TwiML from
/// <c>Url</c>; it reports the outcome to <c>StatusCallback</c>. One request per attempt: retries belong to the job
/// queue. Errors map as for texts (<see cref="TwilioChannel"/>): a 4xx means Twilio created nothing and retrying
/// cannot help; 408, 429 and 5xx are retried, after Retry-After when Twilio gives one.
/// </summary>
public sealed class QualificationCallTwilio(IHttpClientFactory http)
{

    /// <summary>Twilio's SID for the new call and the status it reported (normally <c>queued</c>).</summary>
    public sealed record Placed(string? Sid, string? Status);

    /// <summary>Asks Twilio to call <paramref name="to"/> from <paramref name="from"/>; throws <see cref="DeliveryException"/> when it will not.</summary>
    public async Task<Placed> DialAsync(TwilioAccount account, string from, string to, string startUrl, string statusUrl, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("To", to),
            new("From", from),
            new("Url", startUrl),
            new("Method", "POST"),
            new("StatusCallback", statusUrl),
            new("StatusCallbackMethod", "POST"),
            // No StatusCallbackEvent: without one Twilio reports the end of the call only (completed, no-answer, busy,
            // failed, canceled), which is what the finalize job acts on; the start URL tells us when the lead picks up.
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{Uri.EscapeDataString(account.AccountSid)}/Calls.json")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response = await ProviderHttp.SendAsync(http.CreateClient(TwilioChannel.HttpClientName), request, "Twilio", ct);
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                text = "";
            }
            JsonElement? body = Parse(text);
            int status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Placed(StringProperty(body, "sid"), StringProperty(body, "status"));
            }
            bool transient = status is 408 or 429 || status >= 500;
            throw new DeliveryException($"Twilio answered {status}: {ErrorText(body, text, response.ReasonPhrase)}", permanent: !transient,
                transient ? RetryAfter.From(response) : null)
            {
                ProviderCode = body is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("code", out JsonElement code)
                    && code.ValueKind == JsonValueKind.Number ? code.GetRawText() : null,
            };
        }
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Twilio's error as one line a person can act on; Twilio quotes the numbers it rejects, so they are masked.</summary>
    private static string ErrorText(JsonElement? body, string text, string? reasonPhrase)
    {
        if (body is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.Number)
        {
            string described = $"error {code.GetRawText()}: {StringProperty(root, "message") ?? "no message"}";
            return Redact.Contacts(StringProperty(root, "more_info") is { } more ? $"{described} ({more})" : described);
        }
        string start = text.Length > 300 ? text[..300] : text;
        return Redact.Contacts(start.Length > 0 ? start : reasonPhrase ?? "no reason given");
    }

    private static string? StringProperty(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

}
