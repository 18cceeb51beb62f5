using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.Json;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;

namespace Leadline.Delivery;

/// <summary>
/// Sends e-mail with SendGrid's v3 Mail Send API (<c>POST /v3/mail/send</c>, shape from
/// <c>specs/sendgrid/tsg_mail_v3.json</c>). One request per attempt: retries belong to the job queue.
/// </summary>
public sealed partial class SendGridChannel(IHttpClientFactory http, DeliveryOptions options, ILogger<SendGridChannel> logger)
    : IOutboundChannel
{
    public const string HttpClientName = "sendgrid";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);


    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name => "sendgrid";

    public async Task<SendReceipt> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (options.SendGridApiKey is not string key)
        {
            throw new DeliveryException("SENDGRID_API_KEY is not set", permanent: true);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/mail/send")
        {
            Content = JsonContent.Create(Body(message), options: s_json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        HttpResponseMessage response = await ProviderHttp.SendAsync(http.CreateClient(HttpClientName), request, "SendGrid", ct);
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                // The X-Message-Id is what SendGrid's event webhook reports later; without one the key still identifies it.
                string id = response.Headers.TryGetValues("X-Message-Id", out var ids) && ids.FirstOrDefault() is { Length: > 0 } given
                    ? given
                    : message.IdempotencyKey;
                LogAccepted(message.IdempotencyKey, (int)response.StatusCode);
                return new SendReceipt(id);
            }

            int status = (int)response.StatusCode;
            string reason = $"SendGrid answered {status}: {await ErrorTextAsync(response, ct)}";
            bool transient = status is 408 or 429 || status >= 500;
            throw new DeliveryException(reason, permanent: !transient, transient ? RetryAfter.From(response) : null);
        }
    }

    private static MailSendRequest Body(OutboundMessage m)
    {
        Dictionary<string, string>? headers = null;
        if (MailComposer.AngleId(m.InReplyTo) is { } parent)
        {
            headers = new() { ["In-Reply-To"] = parent, ["References"] = parent };
        }
        // custom_args sits on the personalization: the document types the message-level one as a string.
        var personalization = new Personalization(
            [new Address(m.To, Blank(m.ToName))],
            new Dictionary<string, string> { ["leadline_message_id"] = m.IdempotencyKey });
        return new MailSendRequest(
            [personalization],
            new Address(m.From, Blank(m.FromName)),
            string.IsNullOrWhiteSpace(m.Subject) ? "(no subject)" : m.Subject.ReplaceLineEndings(" "),
            [new Content("text/plain", m.Body.Length > 0 ? m.Body : " ")],
            headers);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.ReplaceLineEndings(" ");

    /// <summary>SendGrid's reasons (<c>errors[].message</c>), or the start of whatever else it said.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return response.ReasonPhrase ?? "no reason given";
        }
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array)
            {
                string[] messages = errors.EnumerateArray()
                    .Select(e => e.TryGetProperty("message", out JsonElement msg) ? msg.GetString() : null)
                    .OfType<string>()
                    .ToArray();
                if (messages.Length > 0)
                {
                    return Redact.Contacts(string.Join("; ", messages));
                }
            }
        }
        catch (JsonException)
        {
        }
        string start = text.Length > 300 ? text[..300] : text;
        return Redact.Contacts(start.Length > 0 ? start : response.ReasonPhrase ?? "no reason given");
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageKey} accepted by SendGrid ({Status})")]
    private partial void LogAccepted(string messageKey, int status);

    private sealed record MailSendRequest(
        IReadOnlyList<Personalization> Personalizations, Address From, string Subject, IReadOnlyList<Content> Content,
        Dictionary<string, string>? Headers);

    private sealed record Personalization(IReadOnlyList<Address> To, Dictionary<string, string> CustomArgs);

    private sealed record Address(string Email, string? Name);

    private sealed record Content(string Type, string Value);
}
