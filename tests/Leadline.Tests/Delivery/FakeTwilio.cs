using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>One request the fake received: when, where, the form fields, what it answered and the SID it created.</summary>
public sealed record TwilioRequest(
    long Timestamp, string Method, string Path, string? Authorization, IReadOnlyList<KeyValuePair<string, string>> Form,
    int Status, string? MessageSid)
{
    /// <summary>The first value of a form field, or null.</summary>
    public string? Field(string name) => Form.FirstOrDefault(f => f.Key == name).Value;
}

/// <summary>A message the fake created: the Message resource's fields that tests and status callbacks need.</summary>
public sealed record TwilioMessage(string Sid, string AccountSid, string To, string From, string Body, string? StatusCallback, DateTimeOffset Created);

/// <summary>A call the fake created: where Twilio would fetch its TwiML and report its status, as the request asked.</summary>
public sealed record TwilioCall(
    string Sid, string AccountSid, string To, string From, string? Url, string Method, string? StatusCallback,
    IReadOnlyList<string> StatusCallbackEvents, DateTimeOffset Created);

/// <summary>
/// Twilio's REST API on 127.0.0.1, speaking its wire format: <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>
/// (basic auth, form fields) answers 201 with a Message resource, and <c>GET .../Messages/{Sid}.json</c> reads one back.
/// It checks what <c>specs/twilio/twilio_api_v2010.json</c> and Twilio's error list say (To; From or
/// MessagingServiceSid; Body, MediaUrl or ContentSid; E.164 or whatsapp: numbers of one channel; a callback URL) and
/// answers Twilio's error JSON when a rule is broken, or what a test told it to answer for a recipient.
/// <c>POST .../Calls.json</c> places a call the same way (To; From; Url, Twiml or ApplicationSid; GET or POST methods)
/// and answers 201 with a Call resource; it rings nobody: tests play Twilio's part in the call themselves.
/// </summary>
public sealed partial class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "test-auth-token-0123456789abcdef";

    private readonly string _accountSid;
    private readonly string _authToken;
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<TwilioRequest> _requests = new();
    private readonly ConcurrentDictionary<string, TwilioMessage> _messages = new();
    private readonly ConcurrentDictionary<string, TwilioCall> _calls = new();
    private readonly Dictionary<string, Queue<Plan>> _plans = new();
    private readonly Task _serving;

    private sealed record Plan(int Status, int Code, string Message, string? RetryAfter = null, TimeSpan Delay = default);

    /// <summary>Serves one account: the constants above unless another account's SID and auth token are given.</summary>
    public FakeTwilio(string accountSid = AccountSid, string authToken = AuthToken)
    {
        _accountSid = accountSid;
        _authToken = authToken;
        BaseUrl = Loopback.Start(_listener);
        _serving = ServeAsync();
    }

    public string BaseUrl { get; } = "";

    public IReadOnlyList<TwilioRequest> Requests => [.. _requests];

    public IReadOnlyCollection<TwilioMessage> Messages => [.. _messages.Values];

    /// <summary>The Messages requests for a number, with or without its <c>whatsapp:</c> prefix, oldest first.</summary>
    public IReadOnlyList<TwilioRequest> RequestsTo(string number) =>
        [.. _requests.Where(r => !r.Path.Contains("/Calls", StringComparison.Ordinal) && r.Field("To") is { } to && Bare(to) == Bare(number))];

    public IReadOnlyCollection<TwilioCall> Calls => [.. _calls.Values];

    /// <summary>The Calls requests for a number, oldest first.</summary>
    public IReadOnlyList<TwilioRequest> CallRequestsTo(string number) =>
        [.. _requests.Where(r => r.Path.Contains("/Calls", StringComparison.Ordinal) && r.Field("To") == number)];

    /// <summary>Answers the next <paramref name="times"/> valid requests to <paramref name="to"/> (texts or calls) with a Twilio error.</summary>
    public void Fail(string to, int status, int code, string message, int times = 1, string? retryAfter = null) =>
        Enqueue(to, new Plan(status, code, message, retryAfter), times);

    /// <summary>The recipient replied STOP: Twilio refuses to text them (error 21610).</summary>
    public void OptedOut(string to, int times = 1) => Fail(to, 400, 21610, "Attempt to send to unsubscribed recipient", times);

    public void InvalidNumber(string to, int times = 1) => Fail(to, 400, 21211, $"The 'To' number {to} is not a valid phone number.", times);

    public void TooManyRequests(string to, string retryAfter, int times = 1) => Fail(to, 429, 20429, "Too Many Requests", times, retryAfter);

    public void ServerError(string to, int times = 1) => Fail(to, 500, 20500, "An internal server error has occurred", times);

    /// <summary>Answers the next <paramref name="times"/> requests to <paramref name="to"/> normally, after <paramref name="delay"/>.</summary>
    public void Slow(string to, TimeSpan delay, int times = 1) => Enqueue(to, new Plan(201, 0, "", Delay: delay), times);

    private void Enqueue(string to, Plan plan, int times)
    {
        lock (_plans)
        {
            Queue<Plan> queue = _plans.TryGetValue(Bare(to), out var q) ? q : _plans[Bare(to)] = new();
            for (int i = 0; i < times; i++)
            {
                queue.Enqueue(plan);
            }
        }
    }

    private Plan? Planned(string to)
    {
        lock (_plans)
        {
            return _plans.TryGetValue(Bare(to), out var queue) && queue.TryDequeue(out Plan? plan) ? plan : null;
        }
    }

    private static string Bare(string number) => number.StartsWith("whatsapp:", StringComparison.Ordinal) ? number["whatsapp:".Length..] : number;

    [GeneratedRegex(@"^/2010-04-01/Accounts/([^/]+)/Messages(?:/([^/]+))?\.json$")]
    private static partial Regex MessagesPath();

    [GeneratedRegex(@"^/2010-04-01/Accounts/([^/]+)/Calls(?:/([^/]+))?\.json$")]
    private static partial Regex CallsPath();

    [GeneratedRegex(@"^(whatsapp:)?\+[1-9]\d{6,14}$")]
    private static partial Regex Address();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        long at = Stopwatch.GetTimestamp();
        HttpListenerRequest request = context.Request;
        string text = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync();
        // Twilio reads form fields only; any other body leaves them empty, and the rules below say what is missing.
        IReadOnlyList<KeyValuePair<string, string>> form = request.ContentType?.Split(';')[0].Trim() == "application/x-www-form-urlencoded"
            ? ParseForm(text)
            : [];
        string path = request.Url?.AbsolutePath ?? "/";
        Match route = MessagesPath().Match(path);
        Match callRoute = CallsPath().Match(path);
        Plan answer;
        TwilioMessage? created = null;
        TwilioCall? call = null;

        if (callRoute.Success)
        {
            (answer, call) = AnswerCall(request, callRoute, form);
        }
        else if (!route.Success || (request.HttpMethod, route.Groups[2].Success) is not (("POST", false) or ("GET", true)))
        {
            answer = new Plan(404, 20404, $"The requested resource {path} was not found");
        }
        else if (!Authorized(request.Headers["Authorization"]))
        {
            answer = new Plan(401, 20003, "Authenticate");
        }
        else if (route.Groups[1].Value != _accountSid)
        {
            answer = new Plan(404, 20404, $"The requested resource {path} was not found");
        }
        else if (request.HttpMethod == "GET")
        {
            created = _messages.GetValueOrDefault(route.Groups[2].Value);
            answer = created is null ? new Plan(404, 20404, $"The requested resource {path} was not found") : new Plan(200, 0, "");
        }
        else
        {
            answer = Violation(Field(form, "To"), form) ?? Planned(Field(form, "To")!) ?? new Plan(201, 0, "");
            if (answer.Status == 201)
            {
                created = new TwilioMessage(
                    "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), AccountSid, Field(form, "To")!,
                    Field(form, "From") ?? "", Field(form, "Body") ?? "", Field(form, "StatusCallback"), DateTimeOffset.UtcNow);
                _messages[created.Sid] = created;
            }
        }

        _requests.Enqueue(new TwilioRequest(at, request.HttpMethod, path, request.Headers["Authorization"], form, answer.Status, created?.Sid ?? call?.Sid));
        try
        {
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }
            HttpListenerResponse response = context.Response;
            response.StatusCode = answer.Status;
            response.ContentType = "application/json; charset=utf-8";
            if (answer.RetryAfter is not null)
            {
                response.Headers["Retry-After"] = answer.RetryAfter;
            }
            byte[] body = created is not null
                ? Resource(created)
                : call is not null
                ? CallResource(call)
                : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
                {
                    ["code"] = answer.Code,
                    ["message"] = answer.Message,
                    ["more_info"] = $"https://www.twilio.com/docs/errors/{answer.Code}",
                    ["status"] = answer.Status,
                });
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up waiting (a slow answer past its timeout).
        }
    }

    /// <summary>The Calls resource: create (POST Calls.json) and fetch (GET Calls/{Sid}.json), after the same checks as Messages.</summary>
    private (Plan Answer, TwilioCall? Call) AnswerCall(HttpListenerRequest request, Match route, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        string path = request.Url?.AbsolutePath ?? "/";
        if ((request.HttpMethod, route.Groups[2].Success) is not (("POST", false) or ("GET", true)))
        {
            return (new Plan(404, 20404, $"The requested resource {path} was not found"), null);
        }
        if (!Authorized(request.Headers["Authorization"]))
        {
            return (new Plan(401, 20003, "Authenticate"), null);
        }
        if (route.Groups[1].Value != _accountSid)
        {
            return (new Plan(404, 20404, $"The requested resource {path} was not found"), null);
        }
        if (request.HttpMethod == "GET")
        {
            TwilioCall? found = _calls.GetValueOrDefault(route.Groups[2].Value);
            return found is null ? (new Plan(404, 20404, $"The requested resource {path} was not found"), null) : (new Plan(200, 0, ""), found);
        }
        Plan answer = CallViolation(form) ?? Planned(Field(form, "To")!) ?? new Plan(201, 0, "");
        if (answer.Status != 201)
        {
            return (answer, null);
        }
        var call = new TwilioCall(
            "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), _accountSid, Field(form, "To")!, Field(form, "From")!,
            Field(form, "Url"), Field(form, "Method") ?? "POST", Field(form, "StatusCallback"),
            [.. form.Where(f => f.Key == "StatusCallbackEvent").Select(f => f.Value)], DateTimeOffset.UtcNow);
        _calls[call.Sid] = call;
        return (answer, call);
    }

    /// <summary>
    /// The first rule of Call creation the form breaks, as Twilio's error (error 21200 describes them): To and From, phone
    /// numbers in E.164 here; Url, Twiml or ApplicationSid, the URLs absolute; GET or POST methods; known callback events.
    /// </summary>
    private static Plan? CallViolation(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        string? to = Field(form, "To");
        string? from = Field(form, "From");
        if (string.IsNullOrEmpty(to))
        {
            return new Plan(400, 21201, "No 'To' number is specified");
        }
        if (string.IsNullOrEmpty(from))
        {
            return new Plan(400, 21213, "No 'From' number is specified");
        }
        if (string.IsNullOrEmpty(Field(form, "Url")) && string.IsNullOrEmpty(Field(form, "Twiml")) && string.IsNullOrEmpty(Field(form, "ApplicationSid")))
        {
            return new Plan(400, 21205, "A 'Url', 'Twiml' or 'ApplicationSid' is required to make a call.");
        }
        if (!Address().IsMatch(to) || to.StartsWith("whatsapp:", StringComparison.Ordinal))
        {
            return new Plan(400, 21211, $"Invalid 'To' Phone Number: {to}");
        }
        if (!Address().IsMatch(from) || from.StartsWith("whatsapp:", StringComparison.Ordinal))
        {
            return new Plan(400, 21212, $"Invalid 'From' Phone Number: {from}");
        }
        if (Field(form, "Url") is { Length: > 0 } url && !IsWebUrl(url))
        {
            return new Plan(400, 21205, $"Url is not a valid URL: {url}");
        }
        if (Field(form, "StatusCallback") is { } callback && !IsWebUrl(callback))
        {
            return new Plan(400, 21200, $"StatusCallback is not a valid URL: {callback}");
        }
        foreach (string name in new[] { "Method", "StatusCallbackMethod", "FallbackMethod" })
        {
            if (Field(form, name) is { } method && method is not ("GET" or "POST"))
            {
                return new Plan(400, 21200, $"{name} must be GET or POST, not '{method}'");
            }
        }
        if (form.FirstOrDefault(f => f.Key == "StatusCallbackEvent" && f.Value is not ("initiated" or "ringing" or "answered" or "completed")) is { Key: not null } bad)
        {
            return new Plan(400, 21200, $"StatusCallbackEvent '{bad.Value}' is not one of initiated, ringing, answered, completed");
        }
        return null;
    }

    private static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" && !url.Host.Contains('_');

    /// <summary>The Call resource as Twilio returns it on creation (snake_case, RFC 2822 dates, status queued).</summary>
    private static byte[] CallResource(TwilioCall c)
    {
        string date = c.Created.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        string uri = $"/2010-04-01/Accounts/{c.AccountSid}/Calls/{c.Sid}";
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["account_sid"] = c.AccountSid,
            ["annotation"] = null,
            ["answered_by"] = null,
            ["api_version"] = "2010-04-01",
            ["caller_name"] = null,
            ["date_created"] = date,
            ["date_updated"] = date,
            ["direction"] = "outbound-api",
            ["duration"] = null,
            ["end_time"] = null,
            ["forwarded_from"] = null,
            ["from"] = c.From,
            ["from_formatted"] = c.From,
            ["group_sid"] = null,
            ["parent_call_sid"] = null,
            ["phone_number_sid"] = null,
            ["price"] = null,
            ["price_unit"] = "USD",
            ["queue_time"] = "0",
            ["sid"] = c.Sid,
            ["start_time"] = null,
            ["status"] = "queued",
            ["subresource_uris"] = new Dictionary<string, string>
            {
                ["notifications"] = uri + "/Notifications.json",
                ["recordings"] = uri + "/Recordings.json",
                ["events"] = uri + "/Events.json",
            },
            ["to"] = c.To,
            ["to_formatted"] = c.To,
            ["trunk_sid"] = null,
            ["uri"] = uri + ".json",
        });
    }

    private bool Authorized(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])) == $"{_accountSid}:{_authToken}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The first rule of Message creation the form breaks, as Twilio's error; null when it is valid.</summary>
    private static Plan? Violation(string? to, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        string? from = Field(form, "From");
        string? body = Field(form, "Body");
        if (string.IsNullOrEmpty(to))
        {
            return new Plan(400, 21604, "A 'To' phone number is required.");
        }
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(Field(form, "MessagingServiceSid")))
        {
            return new Plan(400, 21603, "A 'From' phone number is required.");
        }
        if (string.IsNullOrEmpty(body) && Field(form, "MediaUrl") is null && Field(form, "ContentSid") is null)
        {
            return new Plan(400, 21602, "Message body is required.");
        }
        if (body is { Length: > 1600 })
        {
            return new Plan(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }
        if (!Address().IsMatch(to))
        {
            return new Plan(400, 21211, $"The 'To' number {to} is not a valid phone number.");
        }
        if (from is not null && (!Address().IsMatch(from) || from.StartsWith("whatsapp:", StringComparison.Ordinal) != to.StartsWith("whatsapp:", StringComparison.Ordinal)))
        {
            return new Plan(400, 21910, "Invalid From and To pair. From and To should be of the same channel");
        }
        if (Field(form, "StatusCallback") is { } callback
            && !(Uri.TryCreate(callback, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" && !url.Host.Contains('_')))
        {
            return new Plan(400, 21609, "Invalid StatusCallbackUrl");
        }
        return null;
    }

    private static string? Field(IReadOnlyList<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(f => f.Key == name).Value;

    private static List<KeyValuePair<string, string>> ParseForm(string text) =>
        [.. text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            string[] parts = pair.Split('=', 2);
            return new KeyValuePair<string, string>(WebUtility.UrlDecode(parts[0]), WebUtility.UrlDecode(parts.Length > 1 ? parts[1] : ""));
        })];

    /// <summary>The Message resource as Twilio returns it on creation (snake_case, RFC 2822 dates, counts as strings).</summary>
    private static byte[] Resource(TwilioMessage m)
    {
        string date = m.Created.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        string uri = $"/2010-04-01/Accounts/{m.AccountSid}/Messages/{m.Sid}";
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["account_sid"] = m.AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = m.Body,
            ["date_created"] = date,
            ["date_sent"] = null,
            ["date_updated"] = date,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = m.From,
            ["messaging_service_sid"] = null,
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = m.Sid,
            ["status"] = "queued",
            ["subresource_uris"] = new Dictionary<string, string> { ["media"] = uri + "/Media.json" },
            ["to"] = m.To,
            ["uri"] = uri + ".json",
        });
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
