using System.Collections.Concurrent;

namespace Leadline.Tests.Infrastructure;

/// <summary>One provider call as the app made it: the request body, the status and what a mock said about it.</summary>
public sealed record RecordedExchange(string Method, string Path, string RequestBody, int Status, string? Violations, string ResponseBody);

/// <summary>
/// Sits in a provider's typed HttpClient and records each request with its answer, so a test sees the status and
/// Prism's <c>sl-violations</c> header of calls the app makes on its own.
/// </summary>
public sealed class RecordingHandler(ConcurrentQueue<RecordedExchange> exchanges) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        string requestBody = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        HttpResponseMessage response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        string responseBody = await response.Content.ReadAsStringAsync(ct);
        string? violations = response.Headers.TryGetValues("sl-violations", out var values) ? string.Join(",", values) : null;
        exchanges.Enqueue(new RecordedExchange(
            request.Method.Method, request.RequestUri?.AbsolutePath ?? "", requestBody, (int)response.StatusCode, violations, responseBody));
        return response;
    }
}
