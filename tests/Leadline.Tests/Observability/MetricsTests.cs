using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Observability;

/// <summary>
/// /metrics as Prometheus scrapes it. The exporter writes each series' labels in alphabetical order, and a counter
/// nothing has counted yet as <c>name{} 0</c>.
/// </summary>
public abstract class MetricsTests(LeadlineApp app)
{
    /// <summary>The counters and gauges PRODUCT.md 2.12 and the README name, each present before its first event.</summary>
    private static readonly string[] s_atStart =
    [
        "intake_total", "dedupe_suppressed_total", "send_success_total", "send_failure_total", "jobs_pending",
        "guardrail_block_total", "llm_failure_total", "owner_alert_total", "intake_rate_limited_total",
        "missed_calls_total", "mail_processed_total", "imap_connected", "llm_tokens_total", "llm_calls_total",
        "llm_budget_fallback_total", "budget_alert_total", "replies_total", "approvals_total", "send_deferred_total",
        "outbound_cap_reached_total", "jobs_dead", "webhook_rejected_total",
    ];

    private async Task<string> ScrapeAsync()
    {
        var response = await app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task EveryContractNameIsThereAtZeroBeforeItsFirstEvent()
    {
        // A new app, so nothing has been counted: every series must come from start-up, not from an event.
        await using var fresh = new SqliteApp();
        string text = await fresh.CreateClient().GetStringAsync("/metrics");
        string[] lines = text.Split('\n');
        foreach (string name in s_atStart)
        {
            Assert.Contains(name + "{} 0", lines);
        }
        Assert.Contains("database_up{} 1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("intake_total{channel=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALeadIsCountedAndTimed()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var body = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook",
            new { event_id = "m1", email = "m@example.com", message = "hello there" })).JsonAsync(HttpStatusCode.Accepted);
        await tenant.Client.WaitForLeadAsync(body.GetProperty("lead_id").GetGuid(), l => l.GetProperty("speed_to_lead_ms").ValueKind == JsonValueKind.Number);

        string[] lines = (await ScrapeAsync()).Split('\n');
        Assert.Contains($"intake_total{{channel=\"email\",status=\"accepted\",tenant=\"{tenant.Slug}\"}} 1", lines);
        Assert.Contains($"send_success_total{{channel=\"log\",tenant=\"{tenant.Slug}\"}} 1", lines);
        Assert.Contains("# TYPE e2e_seconds histogram", lines);
        Assert.Contains($"e2e_seconds_bucket{{channel=\"email\",tenant=\"{tenant.Slug}\",le=\"+Inf\"}} 1", lines);
        Assert.Contains($"e2e_seconds_count{{channel=\"email\",tenant=\"{tenant.Slug}\"}} 1", lines);
        Assert.Contains("# TYPE llm_latency_ms histogram", lines);
        Assert.Contains(lines, l => l.StartsWith("llm_latency_ms_bucket{engine=\"offline\",le=\"100\"}", StringComparison.Ordinal));
        Assert.Contains("# TYPE jobs_pending gauge", lines);
        // The label-less series stays at 0 beside the labelled one: it is the start-up placeholder, not a second count.
        Assert.Contains("intake_total{} 0", lines);
    }

    [Fact]
    public async Task RequestsAndTheRuntimeAreMeasuredToo()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/healthz")).StatusCode);
        string text = await ScrapeAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Contains("http_server_request_duration_seconds_count{http_request_method=\"GET\",http_response_status_code=\"200\",http_route=\"/healthz\"", text);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", text);
        // Another app in this process counts its own requests: this app's scrape does not include them.
        await using var other = new SqliteApp();
        Assert.Equal(HttpStatusCode.OK, (await other.CreateClient().GetAsync("/readyz")).StatusCode);
        Assert.Contains("http_route=\"/readyz\"", await other.CreateClient().GetStringAsync("/metrics"));
        Assert.DoesNotContain("http_route=\"/readyz\"", await ScrapeAsync());
    }
}

public sealed class SqliteMetricsTests(SqliteApp app) : MetricsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresMetricsTests(PostgresApp app) : MetricsTests(app), IClassFixture<PostgresApp>;
