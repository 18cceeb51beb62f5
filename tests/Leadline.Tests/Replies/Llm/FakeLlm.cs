using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Replies.Llm;

/// <summary>What the fake model answers to one request.</summary>
/// <param name="Content">The model's text (the JSON reply), sent in the provider's response envelope.</param>
/// <param name="Status">The HTTP status; not 200 sends the provider's error body instead.</param>
/// <param name="RawBody">A whole response body sent as it is (a broken envelope).</param>
public sealed record FakeAnswer(string? Content = null, int Status = 200, TimeSpan Delay = default, string? RetryAfter = null, string? RawBody = null);

/// <summary>One request the fake received: the provider path and its JSON body.</summary>
public sealed partial record FakeLlmRequest(string Path, JsonElement Body, string? Authorization, string? ApiKeyHeader)
{
    /// <summary>Every string in the body, one per line: the system and user messages (and the model name) as plain text.</summary>
    public string Prompt => string.Join("\n", Strings(Body));

    /// <summary>The booking link the prompt tells the model to use, or "" when it gives none.</summary>
    public string BookingLink => BookingLinkPattern().Match(Prompt) is { Success: true } m ? m.Groups[1].Value : "";

    /// <summary>The lead's message, from between the prompt's fences.</summary>
    public string LeadMessage => LeadMessagePattern().Match(Prompt) is { Success: true } m ? m.Groups[1].Value.Trim() : "";

    /// <summary>The snippets offered to the model: their ids and answers, best match first.</summary>
    public IReadOnlyList<(string Id, string Answer)> Snippets =>
        [.. SnippetPattern().Matches(Prompt).Select(m => (m.Groups["id"].Value, m.Groups["answer"].Value.Trim()))];

    /// <summary>The language the prompt asks the reply to be written in.</summary>
    public string Language => LanguagePattern().Match(Prompt) is { Success: true } m ? m.Groups[1].Value : "en";

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex(@"exactly this link: (https?://\S+)")]
    private static partial Regex BookingLinkPattern();

    [GeneratedRegex(@"<<<LEAD_MESSAGE\n(.*?)\nLEAD_MESSAGE>>>", RegexOptions.Singleline)]
    private static partial Regex LeadMessagePattern();

    [GeneratedRegex(@"^\[id: (?<id>[^\]]+)\] Q: .*? A: (?<answer>.*)$", RegexOptions.Multiline)]
    private static partial Regex SnippetPattern();

    [GeneratedRegex(@"in the lead's language: (\w+)\.")]
    private static partial Regex LanguagePattern();
}

/// <summary>
/// An OpenAI-compatible (<c>POST /v1/chat/completions</c>) and Anthropic Messages (<c>POST /v1/messages</c>) server
/// on 127.0.0.1, scripted per test: a test registers answers for a marker it puts in the lead's message, and every
/// request whose prompt contains the marker gets the next answer (the last one repeats). Without a script it
/// answers with <see cref="Unscripted"/>, by default a valid reply with the booking link from the prompt.
/// </summary>
public sealed partial class FakeLlm : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Queue<FakeAnswer>> _scripts = new();
    private readonly Task _serving;

    public FakeLlm()
    {
        BaseUrl = Loopback.Start(_listener);
        _serving = ServeAsync();
    }

    public string BaseUrl { get; } = "";

    /// <summary>The answer to a request no script claims; null answers a valid reply with the booking link.</summary>
    public Func<FakeLlmRequest, FakeAnswer>? Unscripted { get; set; }

    /// <summary>How many requests the fake has received.</summary>
    public int RequestCount => _requests.Count;

    /// <summary>
    /// A fresh marker to put in a lead's message, in letters only: a digit run in it ("ref 3a99f...") would be a number
    /// from the lead's message and ground the same number in a draft the guardrails are expected to refuse.
    /// </summary>
    public static string NewMarker() =>
        "ref " + string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c));

    public void Script(string marker, params FakeAnswer[] answers) => _scripts[marker] = new Queue<FakeAnswer>(answers);

    public IReadOnlyList<FakeLlmRequest> RequestsFor(string marker) =>
        [.. _requests.Where(r => r.Body.GetRawText().Contains(marker, StringComparison.Ordinal))];

    /// <summary>The JSON a well-behaved model returns.</summary>
    public static string Reply(string reply, string[]? snippetIds = null, double confidence = 0.9, string language = "en",
        bool escalate = false, string? reason = null) =>
        JsonSerializer.Serialize(new
        {
            reply,
            language,
            confidence,
            snippet_ids = snippetIds ?? [],
            qualification = new { timeline = (string?)null, urgency = (string?)null, budget_max = (double?)null },
            escalate,
            escalate_reason = reason,
        });

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string text = await reader.ReadToEndAsync();
            JsonElement body = JsonDocument.Parse(text).RootElement.Clone();
            string path = context.Request.Url!.AbsolutePath;
            var request = new FakeLlmRequest(path, body, context.Request.Headers["Authorization"], context.Request.Headers["x-api-key"]);
            _requests.Enqueue(request);
            bool anthropic = path.EndsWith("/messages", StringComparison.Ordinal);

            FakeAnswer answer = Next(text) ?? Unscripted?.Invoke(request)
                ?? new FakeAnswer(Reply($"Thanks for getting in touch! Book a time that suits you here: {BookingLink(text)}", confidence: 0.8));
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = answer.RetryAfter;
            }
            string model = body.TryGetProperty("model", out JsonElement m) ? m.GetString() ?? "" : "";
            string response = answer.RawBody
                ?? (answer.Status != 200 ? ErrorBody(anthropic, answer.Status)
                : anthropic ? AnthropicBody(model, answer.Content ?? "") : OpenAiBody(model, answer.Content ?? ""));
            byte[] bytes = Encoding.UTF8.GetBytes(response);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    private FakeAnswer? Next(string requestText)
    {
        foreach (var (marker, answers) in _scripts)
        {
            if (requestText.Contains(marker, StringComparison.Ordinal))
            {
                lock (answers)
                {
                    return answers.Count > 1 ? answers.Dequeue() : answers.Peek();
                }
            }
        }
        return null;
    }

    private static string BookingLink(string requestText) =>
        BookingLinkPattern().Match(requestText) is { Success: true } match ? match.Groups[1].Value : "";

    [GeneratedRegex(@"exactly this link: (https?://[^\s\\""]+)")]
    private static partial Regex BookingLinkPattern();

    private static string OpenAiBody(string model, string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12],
        @object = "chat.completion",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop", logprobs = (object?)null } },
        usage = new { prompt_tokens = 420, completion_tokens = 60, total_tokens = 480 },
    });

    private static string AnthropicBody(string model, string content) => JsonSerializer.Serialize(new
    {
        id = "msg_" + Guid.NewGuid().ToString("N")[..12],
        type = "message",
        role = "assistant",
        model,
        content = new[] { new { type = "text", text = content } },
        stop_reason = "end_turn",
        stop_sequence = (string?)null,
        usage = new { input_tokens = 410, output_tokens = 55 },
    });

    private static string ErrorBody(bool anthropic, int status) => anthropic
        ? JsonSerializer.Serialize(new { type = "error", error = new { type = status == 429 ? "rate_limit_error" : "api_error", message = "simulated failure" } })
        : JsonSerializer.Serialize(new { error = new { message = "simulated failure", type = status == 429 ? "rate_limit_exceeded" : "server_error", code = (string?)null } });

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception)
        {
        }
    }
}
