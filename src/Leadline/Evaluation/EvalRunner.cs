using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Leadline.Hosting;

namespace Leadline.Evaluation;

public sealed record EvalOptions(string TenantsDir, string CasesFile, DateTimeOffset? Now, string Engine);

/// <summary>
/// Runs labelled cases through the real service: a private instance on a loopback port with a throwaway
/// SQLite database and the log channel, driven over HTTP exactly as a web form or webhook would drive it.
/// </summary>
public sealed class EvalRunner(EvalOptions options, TextWriter progress)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(15);

    public async Task<EvalReport> RunAsync(CancellationToken ct = default)
    {
        var (tenants, tenantProblems) = EvalTenant.LoadAll(options.TenantsDir);
        var (cases, caseProblems) = EvalCases.Load(options.CasesFile);
        foreach (string problem in tenantProblems.Concat(caseProblems))
        {
            progress.WriteLine(problem);
        }

        string workDir = Path.Combine(Path.GetTempPath(), "leadline-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDir);
        string token = "eval-" + Guid.NewGuid().ToString("N");
        try
        {
            await using WebApplication app = await StartAsync(Path.Combine(workDir, "eval.db"), token);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var keys = new Dictionary<string, string>();
            foreach (EvalTenant tenant in tenants)
            {
                keys[tenant.Slug] = await CreateTenantAsync(http, tenant, ct);
            }

            // One unmeasured lead first: a fresh process compiles the whole path on its first request, and that
            // belongs to start-up, not to the latency of the first case.
            if (tenants.Count > 0)
            {
                await SendAsync(http, HttpMethod.Post, "/v1/intake/webhook", keys[tenants[0].Slug], new JsonObject
                {
                    ["event_id"] = "eval-warm-up", ["email"] = "warm-up@example.com", ["message"] = "Hello, what are your hours?",
                }, ct);
                await Task.Delay(200, ct);
            }

            var results = new List<EvalResult>();
            var skipped = new List<string>(caseProblems);
            int done = 0;
            foreach (EvalCase c in cases)
            {
                done++;
                EvalTenant? tenant = tenants.FirstOrDefault(t => t.Slug == c.Tenant);
                if (tenant is null)
                {
                    skipped.Add($"{Path.GetFileName(options.CasesFile)}:{c.Line}: skipped, case '{c.Id}' names unknown tenant '{c.Tenant}'");
                    progress.WriteLine(skipped[^1]);
                    continue;
                }
                results.Add(await RunCaseAsync(http, keys[c.Tenant], tenant, c, done, ct));
                if (done % 10 == 0 || done == cases.Count)
                {
                    progress.WriteLine($"  {done}/{cases.Count} cases");
                }
            }
            return EvalReport.Build(cases.Where(c => results.Any(r => r.Id == c.Id)).ToList(), results, skipped, options.Engine);
        }
        finally
        {
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is the operating system's to clean; the results are already in memory.
            }
        }
    }

    private async Task<WebApplication> StartAsync(string dbPath, string token)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DB_URL"] = dbPath,
            ["ADMIN_BEARER_TOKEN"] = token,
            ["LOG_LEVEL"] = "ERROR",
            // The evaluation never sends anything: every reply goes to the log channel.
            ["SMTP_URL"] = "",
            ["SENDGRID_API_KEY"] = "",
            ["OWNER_ALERT_EMAIL"] = "",
            ["BOOKING_LINK"] = "",
            ["JOB_POLL_MS"] = "200",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddLeadline();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Error);
        if (options.Now is DateTimeOffset now)
        {
            builder.Services.AddSingleton<TimeProvider>(new OffsetClock(now));
        }
        WebApplication app = builder.Build();
        app.MapLeadline();
        await Startup.PrepareAsync(app.Services);
        await app.StartAsync();
        return app;
    }

    private static async Task<string> CreateTenantAsync(HttpClient http, EvalTenant tenant, CancellationToken ct)
    {
        JsonObject s = tenant.Source;
        var created = await SendAsync(http, HttpMethod.Post, "/v1/tenants", null, new JsonObject
        {
            ["name"] = s["business_name"]?.DeepClone() ?? tenant.Slug,
            ["slug"] = tenant.Slug,
            ["business_name"] = s["business_name"]?.DeepClone(),
            ["timezone"] = s["timezone"]?.DeepClone(),
            ["booking_link"] = s["booking_link"]?.DeepClone(),
            ["currency"] = s["currency"]?.DeepClone(),
        }, ct);
        string key = created["api_key"]!.GetValue<string>();
        await SendAsync(http, HttpMethod.Put, "/v1/admin/settings", key, new JsonObject
        {
            ["languages"] = s["languages"]?.DeepClone(),
            ["services"] = s["services"]?.DeepClone(),
        }, ct);
        if (s["tone"] is JsonObject tone)
        {
            await SendAsync(http, HttpMethod.Put, "/v1/admin/tone", key, tone.DeepClone(), ct);
        }
        if (s["faqs"] is JsonArray { Count: > 0 } faqs)
        {
            await SendAsync(http, HttpMethod.Post, "/v1/admin/faqs/import", key, faqs.DeepClone(), ct);
        }
        return key;
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? key, JsonNode body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using HttpResponseMessage response = await http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new EvalSetupException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text) ?? new JsonObject();
    }

    private static async Task<EvalResult> RunCaseAsync(HttpClient http, string key, EvalTenant tenant, EvalCase c, int n, CancellationToken ct)
    {
        string channel = c.Channel switch
        {
            "live_chat" => "chat",
            "sms" or "whatsapp" or "email" or "web_form" or "chat" or "voice" => c.Channel,
            _ => "web_form",
        };
        bool byPhone = channel is "sms" or "whatsapp" or "voice";
        var intake = new JsonObject
        {
            ["event_id"] = $"eval-{c.Id}-{Guid.NewGuid():N}",
            ["message"] = c.Message,
            ["channel"] = channel,
            [byPhone ? "phone" : "email"] = byPhone ? $"+1555{n:D7}" : $"eval-{n}@example.com",
        };

        long started = Stopwatch.GetTimestamp();
        JsonNode accepted = await SendAsync(http, HttpMethod.Post, "/v1/intake/webhook", key, intake, ct);
        string leadId = accepted["lead_id"]!.GetValue<string>();

        JsonElement lead;
        JsonElement? reply = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(CaseTimeout.TotalSeconds * Stopwatch.Frequency);
        do
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/leads/{leadId}");
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using HttpResponseMessage response = await http.SendAsync(get, ct);
            lead = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
            reply = lead.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("direction").GetString() == "out" && m.GetProperty("author").GetString() == "bot")
                .Select(m => (JsonElement?)m).FirstOrDefault();
            if (reply is not null)
            {
                break;
            }
            await Task.Delay(2, ct);
        }
        while (Stopwatch.GetTimestamp() < deadline);
        double latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        return EvalResult.From(c, tenant, lead, reply, latency);
    }
}

public sealed class EvalSetupException(string message) : Exception(message);
