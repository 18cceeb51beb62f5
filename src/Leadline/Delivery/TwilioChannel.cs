using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Observability;

namespace Leadline.Delivery;

/// <summary>
/// Sends texts with Twilio's Messages API (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, shape from
/// <c>specs/twilio/twilio_api_v2010.json</c>) through the account on <see cref="OutboundMessage.Twilio"/>. One instance
/// is <c>twilio-sms</c>, the other <c>twilio-whatsapp</c>, which puts <c>whatsapp:</c> before both numbers.
/// One request per attempt: retries belong to the job queue.
/// </summary>
/// <remarks>
/// Twilio takes no idempotency key for creating a message (<c>I-Twilio-Idempotency-Token</c> is a header Twilio
/// sends to our webhooks, not one it reads), so a retry after an answer that never arrived can send a text twice.
/// The job lease keeps two workers from sending the same message at once; what is left is a retry after a timeout,
/// a broken connection or a 5xx, where Twilio may or may not have created the message. We retry those anyway: a
/// rare duplicate text costs less than a lead who never hears back. A 4xx means Twilio created nothing.
/// </remarks>
public sealed partial class TwilioChannel : IOutboundChannel
{
    public const string HttpClientName = "twilio";
    public const string Sms = "twilio-sms";
    public const string WhatsApp = "twilio-whatsapp";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);


    private readonly IHttpClientFactory _http;
    private readonly Uri? _statusCallback;
    private readonly ILogger<TwilioChannel> _logger;
    private readonly bool _whatsApp;

    /// <param name="name"><see cref="Sms"/> or <see cref="WhatsApp"/>.</param>
    public TwilioChannel(string name, IHttpClientFactory http, DeliveryOptions options, ILogger<TwilioChannel> logger)
    {
        if (name is not (Sms or WhatsApp))
        {
            throw new ArgumentException($"'{name}' is not {Sms} or {WhatsApp}", nameof(name));
        }
        Name = name;
        _whatsApp = name == WhatsApp;
        _http = http;
        _logger = logger;
        // Twilio reports delivered, undelivered and failed here; without a public URL it has nowhere to report to.
        _statusCallback = options.PublicBaseUrl is Uri site ? new Uri(site.AbsoluteUri.TrimEnd('/') + "/webhooks/twilio/status") : null;
    }

    public string Name { get; }

    public async Task<SendReceipt> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        TwilioAccount account = message.Twilio
            ?? throw new DeliveryException("no Twilio account is configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)", permanent: true);
        string from = (_whatsApp ? account.WhatsAppFrom : account.SmsFrom)
            ?? throw new DeliveryException($"the Twilio account has no {(_whatsApp ? "WhatsApp sender (TWILIO_WHATSAPP_FROM)" : "SMS number (TWILIO_FROM_NUMBER)")}", permanent: true);

        var fields = new List<KeyValuePair<string, string>>
        {
            new("To", Address(message.To)),
            new("From", Address(from)),
            new("Body", message.Body),
        };
        if (_statusCallback is not null)
        {
            fields.Add(new("StatusCallback", _statusCallback.AbsoluteUri));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{Uri.EscapeDataString(account.AccountSid)}/Messages.json")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response = await ProviderHttp.SendAsync(_http.CreateClient(HttpClientName), request, "Twilio", ct);
        using (response)
        {
            string text = await ReadAsync(response, ct);
            int status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                (string? sid, string? state) = Created(text);
                // Twilio created the message, so this attempt must not fail; its SID is what status callbacks name.
                LogAccepted(message.IdempotencyKey, Name, sid ?? "(none)", state ?? "(none)");
                return new SendReceipt(sid ?? message.IdempotencyKey);
            }

            string reason = $"Twilio answered {status}: {ErrorText(text, response.ReasonPhrase)}";
            bool transient = status is 408 or 429 || status >= 500;
            throw new DeliveryException(reason, permanent: !transient, transient ? RetryAfter.From(response) : null) { ProviderCode = ErrorCode(text) };
        }
    }

    /// <summary>The address as Twilio wants it for this channel: E.164 for SMS, <c>whatsapp:+E164</c> for WhatsApp.</summary>
    private string Address(string number)
    {
        string bare = Phones.WithoutWhatsAppPrefix(number).Number;
        return _whatsApp ? Phones.WhatsAppPrefix + bare : bare;
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }

    private static (string? Sid, string? Status) Created(string text)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement root = doc.RootElement;
            return (StringProperty(root, "sid"), StringProperty(root, "status"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Twilio's error (<c>{"code": 21610, "message": "...", "more_info": "...", "status": 400}</c>) as one line a person
    /// can act on, or the start of whatever else came back. Twilio quotes the numbers it rejects, so they are masked.
    /// </summary>
    private static string ErrorText(string text, string? reasonPhrase)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.Number)
            {
                string described = $"error {code.GetRawText()}: {StringProperty(root, "message") ?? "no message"}";
                return Redact.Contacts(StringProperty(root, "more_info") is { } more ? $"{described} ({more})" : described);
            }
        }
        catch (JsonException)
        {
        }
        string start = text.Length > 300 ? text[..300] : text;
        return Redact.Contacts(start.Length > 0 ? start : reasonPhrase ?? "no reason given");
    }

    private static string? ErrorCode(string text)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("code", out JsonElement code)
                && code.ValueKind == JsonValueKind.Number ? code.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;


    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageKey} accepted by Twilio via {Channel} as {Sid} ({Status})")]
    private partial void LogAccepted(string messageKey, string channel, string sid, string status);
}
