using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Replies.Llm;

namespace Leadline.Evaluation;

/// <param name="Engine">The engine every tenant replies with: offline, openai or anthropic (<see cref="LlmProviders"/>).</param>
public sealed record EvalOptions(string TenantsDir, string CasesFile, DateTimeOffset? Now, string Engine)
{
    /// <summary>
    /// Configuration for the private instance on top of the environment, such as the provider's <c>OPENAI_BASE_URL</c>
    /// and <c>OPENAI_MODEL</c>. The evaluation's own settings (database, delivery, <c>LLM_PROVIDER</c>) win over these.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// Runs labelled cases through the real service: a private instance on a loopback port with a throwaway
/// SQLite database and the log channel, driven over HTTP exactly as a web form or webhook would drive it.
/// </summary>
public sealed class EvalRunner(EvalOptions options, TextWriter progress)
{
    /// <summary>How long a case waits for its reply when no model is involved.</summary>
    private static readonly TimeSpan OfflineCaseTimeout = TimeSpan.FromSeconds(15);

    public async Task<EvalReport> RunAsync(CancellationToken ct = default)
    {
        if (!LlmProviders.All.Contains(options.Engine))
        {
            throw new ArgumentException($"'{options.Engine}' is not one of {string.Join(", ", LlmProviders.All)}", nameof(options));
        }
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
            var (model, caseTimeout) = DescribeEngine(app.Services.GetRequiredService<LlmOptions>());
            Db db = app.Services.GetRequiredService<Db>();
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
                results.Add(await RunCaseAsync(http, db, keys[c.Tenant], tenant, c, done, caseTimeout, ct));
                if (done % 10 == 0 || done == cases.Count)
                {
                    progress.WriteLine($"  {done}/{cases.Count} cases");
                }
            }
            return EvalReport.Build(cases.Where(c => results.Any(r => r.Id == c.Id)).ToList(), results, skipped, options.Engine, model);
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

    /// <summary>
    /// Says which engine, model and endpoint the instance really uses (as it read them), and returns the model and
    /// how long a case waits for its reply.
    /// </summary>
    private (string? Model, TimeSpan CaseTimeout) DescribeEngine(LlmOptions settings)
    {
        if (settings.Endpoint(options.Engine) is not var (model, endpoint))
        {
            progress.WriteLine("Engine: offline (no model)");
            return (null, OfflineCaseTimeout);
        }
        // Credentials in a URL stay out of the output.
        string shown = endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped);
        progress.WriteLine($"Engine: {options.Engine}, model {model} at {shown}, LLM_TIMEOUT_MS {settings.LlmTimeout.TotalMilliseconds:0}");
        // The model has LLM_TIMEOUT_MS for its draft, its one re-ask for unusable output included, before the offline
        // engine answers instead. Waiting twice that on top of the offline budget also covers a reply job that
        // failed once and was retried, so a slow model shows up as offline replies, not as missing ones.
        return (model, OfflineCaseTimeout + 2 * settings.LlmTimeout);
    }

    private async Task<WebApplication> StartAsync(string dbPath, string token)
    {
        var config = new Dictionary<string, string?>(options.Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in new Dictionary<string, string?>
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
            // Nor does it read any mailbox: the instance's IMAP_* must not turn real mail into evaluation leads.
            ["POLLER_ENABLED"] = "false",
            ["IMAP_HOST"] = "",
            // Its tenants store no credentials: the key ring goes next to the private database, not into the real one.
            ["DATA_PROTECTION_KEYS_DIR"] = "",
            // The engine is the one asked for, never whichever key happens to be in the environment: LLM_PROVIDER
            // names it and the other providers' credentials are cleared, so no tenant can reach them either.
            ["LLM_PROVIDER"] = options.Engine,
        })
        {
            config[key] = value;
        }
        if (options.Engine != LlmProviders.OpenAi)
        {
            config["OPENAI_API_KEY"] = "";
            config["OPENAI_BASE_URL"] = "";
        }
        if (options.Engine != LlmProviders.Anthropic)
        {
            config["ANTHROPIC_API_KEY"] = "";
        }
        WebApplication app = Program.BuildApp([], adjust: builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Error);
            if (options.Now is DateTimeOffset now)
            {
                builder.Services.AddSingleton<TimeProvider>(new OffsetClock(now));
            }
        });
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

    private static async Task<EvalResult> RunCaseAsync(
        HttpClient http, Db db, string key, EvalTenant tenant, EvalCase c, int n, TimeSpan timeout, CancellationToken ct)
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
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
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

        IReadOnlyList<string> refused = reply is { } sent
            ? await GuardrailReasonsAsync(db, Guid.Parse(leadId), sent.GetProperty("id").GetGuid(), ct)
            : [];
        return EvalResult.From(c, tenant, lead, reply, latency, refused);
    }

    // The API shows the text that was sent, not a draft the guardrails refused; the reply's audit event keeps their
    // reasons, so a model whose every draft was refused is not reported as having written the replies.
    private const string SelectDecisions = """
        SELECT data FROM audit_events WHERE lead_id = @leadId AND kind = 'reply.decided'
        """;

    private static async Task<IReadOnlyList<string>> GuardrailReasonsAsync(Db db, Guid leadId, Guid messageId, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        foreach (string data in await connection.QueryAsync<string>(SelectDecisions, new { leadId }))
        {
            using JsonDocument document = JsonDocument.Parse(data);
            JsonElement decision = document.RootElement;
            if (decision.GetProperty("message_id").GetGuid() == messageId
                && decision.TryGetProperty("guardrail_violations", out JsonElement reasons) && reasons.ValueKind == JsonValueKind.Array)
            {
                return reasons.EnumerateArray().Select(r => r.GetString() ?? "").ToList();
            }
        }
        return [];
    }
}

public sealed class EvalSetupException(string message) : Exception(message);
