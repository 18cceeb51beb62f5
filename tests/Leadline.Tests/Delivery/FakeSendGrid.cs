using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>One request the fake received: when, for whom, what it answered, and the body.</summary>
public sealed record SendGridRequest(long Timestamp, string? Recipient, int Status, JsonElement Body);

/// <summary>
/// SendGrid's <c>POST /v3/mail/send</c> on 127.0.0.1: checks each request against the rules of
/// <c>specs/sendgrid/tsg_mail_v3.json</c> (bearer key, JSON, personalizations[].to[].email, from.email, a subject,
/// content[] with type and value) and answers 400 with SendGrid's error body when one is broken, 202 with an
/// X-Message-Id otherwise, or what a test told it to answer for a recipient (500, 429 with Retry-After, 400).
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.test-key.0123456789";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<SendGridRequest> _requests = new();
    private readonly Dictionary<string, Queue<(int Status, string? RetryAfter, string Message)>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _serving;

    public FakeSendGrid()
    {
        BaseUrl = Loopback.Start(_listener);
        _serving = ServeAsync();
    }

    public string BaseUrl { get; } = "";

    public IReadOnlyList<SendGridRequest> Requests => [.. _requests];

    public IReadOnlyList<SendGridRequest> RequestsFor(string recipient) =>
        [.. _requests.Where(r => string.Equals(r.Recipient, recipient, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Answers the next <paramref name="times"/> valid requests for <paramref name="recipient"/> with <paramref name="status"/>.</summary>
    public void Fail(string recipient, int status, int times = 1, string? retryAfter = null, string message = "simulated failure")
    {
        lock (_failures)
        {
            Queue<(int, string?, string)> queue = _failures.TryGetValue(recipient, out var q) ? q : _failures[recipient] = new();
            for (int i = 0; i < times; i++)
            {
                queue.Enqueue((status, retryAfter, message));
            }
        }
    }

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
        HttpListenerResponse response = context.Response;
        string text = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync();
        JsonElement body = default;
        string? recipient = null;
        (int Status, string? RetryAfter, string? Error) answer;

        if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/v3/mail/send")
        {
            answer = (404, null, "not found");
        }
        else if (request.Headers["Authorization"] != "Bearer " + ApiKey)
        {
            answer = (401, null, "authorization required");
        }
        else if (request.ContentType?.Split(';')[0].Trim() != "application/json")
        {
            answer = (400, null, "Content-Type should be application/json.");
        }
        else
        {
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
                recipient = SendGridContract.FirstRecipient(body);
                answer = SendGridContract.Violation(body) is string violation ? (400, null, violation) : Planned(recipient);
            }
            catch (JsonException)
            {
                answer = (400, null, "Bad Request");
            }
        }

        _requests.Enqueue(new SendGridRequest(at, recipient, answer.Status, body));
        response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            response.Headers["Retry-After"] = answer.RetryAfter;
        }
        if (answer.Status == 202)
        {
            response.Headers["X-Message-Id"] = "sg" + Guid.NewGuid().ToString("N")[..20];
            response.Close();
            return;
        }
        byte[] error = JsonSerializer.SerializeToUtf8Bytes(new { errors = new[] { new { message = answer.Error, field = (string?)null, help = (object?)null } } });
        response.ContentType = "application/json";
        await response.OutputStream.WriteAsync(error);
        response.Close();
    }

    private (int, string?, string?) Planned(string? recipient)
    {
        lock (_failures)
        {
            if (recipient is not null && _failures.TryGetValue(recipient, out var queue) && queue.TryDequeue(out var failure))
            {
                return (failure.Status, failure.RetryAfter, failure.Message);
            }
        }
        return (202, null, null);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
