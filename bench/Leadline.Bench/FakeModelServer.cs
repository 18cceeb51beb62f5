using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leadline.Bench;

/// <summary>
/// A loopback model for benchmarks, speaking the OpenAI chat completions API that Leadline's <c>openai</c> engine
/// calls: it waits the configured delay, then answers what a well-behaved model would (a short reply with the
/// prompt's booking link and signature, no other facts, so the guardrails pass it) with a usage block. Each call is
/// recorded with the lead's ref (the bench writes "(ref RUN-lead-N)" into every message), the delay it applied and
/// its own handling time from request to response written, so the bench can subtract exactly the model's share
/// from each lead's speed to lead.
/// </summary>
public static partial class FakeModelServer
{
    public static async Task<int> RunAsync(FakeModelOptions options)
    {
        var calls = new ConcurrentQueue<FakeModelCall>();
        var gauge = new InFlight();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        WebApplication app = builder.Build();

        app.MapPost("/v1/chat/completions", (HttpContext context) => CompleteAsync(context, options, calls, gauge));
        app.MapGet("/bench/calls", () => Results.Json(new FakeModelCalls([.. calls], gauge.Peak, gauge.Abandoned), LeadlineClient.Json));
        app.MapGet("/healthz", () => Results.Text("ok"));

        await app.StartAsync();
        Console.Error.WriteLine($"Fake model on http://127.0.0.1:{options.Port}/v1: {options.DelayMs} ms"
            + (options.JitterMs > 0 ? $" +/- {options.JitterMs} ms" : "") + " per call.");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task CompleteAsync(HttpContext context, FakeModelOptions options, ConcurrentQueue<FakeModelCall> calls, InFlight gauge)
    {
        long entered = Stopwatch.GetTimestamp();
        double receivedAt = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        int inFlight = gauge.Enter();
        try
        {
            CancellationToken ct = context.RequestAborted;
            using JsonDocument request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct);
            string model = request.RootElement.TryGetProperty("model", out JsonElement m) ? m.GetString() ?? "" : "";
            string prompt = Prompt(request.RootElement);

            long waitStarted = Stopwatch.GetTimestamp();
            TimeSpan delay = options.NextDelay();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
            double waitedMs = Stopwatch.GetElapsedTime(waitStarted).TotalMilliseconds;

            string content = Reply(prompt);
            int promptTokens = Tokens(prompt);
            int completionTokens = Tokens(content);
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12],
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model,
                choices = new[]
                {
                    new { index = 0, message = new { role = "assistant", content, refusal = (string?)null }, finish_reason = "stop", logprobs = (object?)null },
                },
                usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
            });
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, ct);
            await context.Response.CompleteAsync();

            calls.Enqueue(new FakeModelCall(
                LeadRef().Match(prompt) is { Success: true } r ? r.Groups[1].Value : null,
                Math.Round(receivedAt, 3), inFlight, Math.Round(delay.TotalMilliseconds, 3),
                Math.Round(waitedMs, 3), Math.Round(Stopwatch.GetElapsedTime(entered).TotalMilliseconds, 3), promptTokens, completionTokens));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The server gave up on the call (its LLM_TIMEOUT_MS): counted, and there is nobody left to answer.
            gauge.Abandon();
        }
        finally
        {
            gauge.Leave();
        }
    }

    /// <summary>The text of every message, whether its content is a string or a list of text parts.</summary>
    private static string Prompt(JsonElement request)
    {
        var sb = new StringBuilder();
        if (request.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement message in messages.EnumerateArray())
            {
                if (!message.TryGetProperty("content", out JsonElement content))
                {
                    continue;
                }
                if (content.ValueKind == JsonValueKind.String)
                {
                    sb.AppendLine(content.GetString());
                }
                else if (content.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement part in content.EnumerateArray())
                    {
                        if (part.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
                        {
                            sb.AppendLine(text.GetString());
                        }
                    }
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The JSON answer of ReplyPrompt's schema: a reply that states no fact the guardrails would have to find in a
    /// FAQ (no number, date, address or foreign link), with the booking link when the prompt gives one.
    /// </summary>
    private static string Reply(string prompt)
    {
        string? link = BookingLink().Match(prompt) is { Success: true } l ? l.Groups[1].Value : null;
        string? signature = Signature().Match(prompt) is { Success: true } s ? s.Groups[1].Value.Trim() : null;
        string language = Language().Match(prompt) is { Success: true } g ? g.Groups[1].Value : "en";
        string reply = "Thanks for getting in touch! A person from our team will confirm the details with you shortly. "
            + (link is null ? "We will follow up to arrange a time." : $"You can book a time that suits you here: {link}")
            + (signature is null ? "" : $"\n\n{signature}");
        return JsonSerializer.Serialize(new
        {
            reply,
            language,
            confidence = 0.9,
            snippet_ids = Array.Empty<string>(),
            qualification = new { timeline = (string?)null, urgency = (string?)null, budget_max = (double?)null },
            escalate = false,
            escalate_reason = (string?)null,
        });
    }

    /// <summary>A rough token count (about four characters a token), enough to make the token counters move.</summary>
    private static int Tokens(string text) => (text.Length + 3) / 4;

    [GeneratedRegex(@"exactly this link: (https?://\S+)")]
    private static partial Regex BookingLink();

    [GeneratedRegex(@"^Sign the reply as: (.+)$", RegexOptions.Multiline)]
    private static partial Regex Signature();

    [GeneratedRegex(@"Write the reply in the lead's language: ([a-z]{2})\b")]
    private static partial Regex Language();

    [GeneratedRegex(@"\(ref ([\w-]+)\)")]
    private static partial Regex LeadRef();

    /// <summary>Requests being handled now, the most there ever were at once, and how many the caller abandoned.</summary>
    private sealed class InFlight
    {
        private int _now;
        private int _peak;
        private int _abandoned;

        public int Peak => Volatile.Read(ref _peak);
        public int Abandoned => Volatile.Read(ref _abandoned);

        public void Abandon() => Interlocked.Increment(ref _abandoned);

        public int Enter()
        {
            int now = Interlocked.Increment(ref _now);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }
            return now;
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }
}

/// <summary>
/// One call the fake model answered. <c>HandledMs</c> runs from the request reaching the handler (wall clock
/// <c>ReceivedAtUnixMs</c>, the same clock as the server's lead times on this machine) to the response written, so
/// it includes <c>WaitedMs</c> (the delay as it really elapsed) and the fake's own work. <c>InFlight</c> counts the
/// calls being handled when this one arrived, itself included.
/// </summary>
public sealed record FakeModelCall(
    string? Ref, double ReceivedAtUnixMs, int InFlight, double DelayMs, double WaitedMs, double HandledMs, int PromptTokens, int CompletionTokens);

/// <summary>Every call answered since the fake started (warm-up included); abandoned calls are only counted.</summary>
public sealed record FakeModelCalls(IReadOnlyList<FakeModelCall> Calls, int PeakInFlight, int Abandoned);
