using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Leadline.Bench;

/// <summary>The calls the bench makes, over one shared HttpClient with enough pooled connections.</summary>
public sealed class LeadlineClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly HttpClient _http;

    public LeadlineClient(BenchOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Every request in flight gets its own connection, so the client never queues behind its own pool.
            MaxConnectionsPerServer = options.Concurrency * (options.Duplicates + 1) + 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        _http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        if (options.Tenant is { Length: > 0 } tenant)
        {
            _http.DefaultRequestHeaders.Add("X-Tenant", tenant);
        }
    }

    /// <summary>Posts one lead; the latency is from just before the send to the whole response being read.</summary>
    public async Task<IntakeOutcome> PostLeadAsync(byte[] body, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await _http.PostAsync("/v1/intake/webhook", content, ct);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(ct);
            long ended = Stopwatch.GetTimestamp();
            IntakeResponse? parsed = response.StatusCode == HttpStatusCode.Accepted
                ? JsonSerializer.Deserialize<IntakeResponse>(bytes, Json)
                : null;
            return new IntakeOutcome((int)response.StatusCode, parsed, started, ended, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return new IntakeOutcome(0, null, started, Stopwatch.GetTimestamp(), e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>The lead view, or its HTTP status when it is not 200 (0 for a transport error).</summary>
    public async Task<(int Status, LeadView? Lead)> GetLeadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync($"/v1/leads/{id}", ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return ((int)response.StatusCode, null);
            }
            await using Stream stream = await response.Content.ReadAsStreamAsync(ct);
            return (200, await JsonSerializer.DeserializeAsync<LeadView>(stream, Json, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (0, null);
        }
    }

    /// <summary>The state of the tenant's mailbox reading (GET /v1/admin/mailbox), or null when it cannot be read.</summary>
    public async Task<MailboxStatusView?> GetMailboxStatusAsync(CancellationToken ct)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("/v1/admin/mailbox", ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            await using Stream stream = await response.Content.ReadAsStreamAsync(ct);
            return (await JsonSerializer.DeserializeAsync<MailboxView>(stream, Json, ct))?.Status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Every lead of the tenant, newest first (GET /v1/leads, pages of 200); null when a page fails.</summary>
    public async Task<List<LeadSummary>?> ListLeadsAsync(CancellationToken ct)
    {
        var leads = new List<LeadSummary>();
        string? cursor = null;
        try
        {
            do
            {
                string url = "/v1/leads?limit=200" + (cursor is null ? "" : "&cursor=" + cursor);
                using HttpResponseMessage response = await _http.GetAsync(url, ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return null;
                }
                await using Stream stream = await response.Content.ReadAsStreamAsync(ct);
                LeadPage? page = await JsonSerializer.DeserializeAsync<LeadPage>(stream, Json, ct);
                leads.AddRange(page?.Items ?? []);
                cursor = page?.NextCursor;
            }
            while (cursor is not null);
            return leads;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Sums of a few Prometheus series (jobs_pending and the speed-to-lead histogram count), or null when the
    /// scrape fails. Cheap for the server, so the bench can watch progress without loading it with lead reads.
    /// </summary>
    public async Task<ServerProgress?> GetProgressAsync(CancellationToken ct)
    {
        try
        {
            string text = await _http.GetStringAsync("/metrics", ct);
            double pending = 0;
            double answered = 0;
            foreach (string line in text.Split('\n'))
            {
                if (line.StartsWith("jobs_pending", StringComparison.Ordinal))
                {
                    pending += Value(line);
                }
                else if (line.StartsWith("e2e_seconds_count", StringComparison.Ordinal))
                {
                    answered += Value(line);
                }
            }
            return new ServerProgress((long)pending, (long)answered);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The whole /metrics text as series, or null when the scrape fails.</summary>
    public async Task<MetricsSnapshot?> GetMetricsAsync(CancellationToken ct)
    {
        try
        {
            return MetricsSnapshot.Parse(await _http.GetStringAsync("/metrics", ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static double Value(string line) =>
        double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0;

    public void Dispose() => _http.Dispose();
}

public sealed record IntakeResponse(Guid LeadId, Guid ConversationId, Guid MessageId, string Status);

/// <summary>One intake request: status 0 means a transport error; timestamps are Stopwatch ticks.</summary>
public sealed record IntakeOutcome(int Status, IntakeResponse? Response, long Started, long Ended, string? Error)
{
    public double LatencyMs => Stopwatch.GetElapsedTime(Started, Ended).TotalMilliseconds;
}

public sealed record LeadView(Guid Id, long? SpeedToLeadMs, DateTimeOffset CreatedAt, DateTimeOffset? FirstReplyAt, IReadOnlyList<MessageView>? Messages);

/// <summary>A message of a lead; an outbound one names the engine that drafted it and whether it is the safe fallback.</summary>
public sealed record MessageView(Guid Id, string Direction, string Status, string? Engine, bool? Fallback)
{
    public string? Body { get; init; }
}

public sealed record LeadSummary(Guid Id, string? Email, DateTimeOffset CreatedAt, DateTimeOffset? FirstReplyAt, long? SpeedToLeadMs);

public sealed record LeadPage(IReadOnlyList<LeadSummary> Items, string? NextCursor);

public sealed record MailboxView(string InUse, MailboxStatusView? Status);

public sealed record MailboxStatusView(string State, string? LastError, long ProcessedTotal);

public sealed record ServerProgress(long JobsPending, long Answered);
