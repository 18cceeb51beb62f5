using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Leadline.Observability;

/// <summary>
/// The service's own instruments on the "Leadline" meter, exported at /metrics by OpenTelemetry's Prometheus
/// exporter (<see cref="ObservabilityServices"/>). Callers name counters by their exposed name (intake_total): the
/// exporter appends <c>_total</c> to every counter, so the instrument is created without it. No instrument has a
/// unit, because the exporter would append that too, and the names are the contract (PRODUCT.md 2.12).
/// </summary>
public sealed class Metrics
{
    /// <summary>The meter's name, the scope the exporter labels every series of ours with.</summary>
    public const string MeterName = "Leadline";

    private static readonly double[] s_e2eBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    // Model calls take from a few hundred milliseconds to seconds, so the buckets are 100 ms wide up to 1 s and
    // 250-500 ms up to 4 s: a p95 read from them is off by less than one bucket. The low ones are the offline engine's.
    private static readonly double[] s_llmBuckets =
        [5, 10, 25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000,
         5000, 6000, 8000, 10000, 15000, 20000, 30000, 60000];

    /// <summary>Every counter this service writes, with its help text. Each is created at start and shows 0.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Counters = new Dictionary<string, string>
    {
        ["intake_total"] = "Inbound lead messages accepted, by tenant, channel and status (accepted, duplicate, suppressed).",
        ["dedupe_suppressed_total"] = "Inbound messages suppressed as repeats of the same contact and body inside the dedupe window.",
        ["missed_calls_total"] = "Calls to the business line decided, by mode (day, evening, night) and outcome (answered, texted, suppressed...).",
        ["send_success_total"] = "Outbound messages accepted by the delivery channel.",
        ["send_failure_total"] = "Outbound send attempts that failed, by kind (transient or permanent).",
        ["send_deferred_total"] = "Deliveries put off without using an attempt, by reason (quiet_hours, hourly_outbound_cap).",
        ["send_suppressed_total"] = "Deliveries dropped before sending (opt-out, consent), by reason.",
        ["outbound_cap_reached_total"] = "Tenant hours in which sending paused at the tenant's hourly_outbound_cap (the operator is alerted once each).",
        ["replies_total"] = "Replies drafted, by engine and whether the safe fallback was used.",
        ["jobs_failed_total"] = "Job attempts that threw, by kind.",
        ["llm_failure_total"] = "Model calls that failed (the offline engine answered instead), by engine and reason.",
        ["llm_tokens_total"] = "Model tokens spent on replies, by engine and kind (input or output).",
        ["llm_calls_total"] = "Model calls for replies, by engine and route (fast or strong model).",
        ["llm_budget_fallback_total"] = "Replies the offline engine wrote because the tenant's monthly token budget is spent.",
        ["budget_alert_total"] = "Token budget alerts (80% and 100% of the monthly budget), by tenant and level.",
        ["guardrail_block_total"] = "Drafts the guardrails replaced by the safe fallback, by reason.",
        ["approvals_total"] = "Drafts a person approved (as written or edited) or rejected, by outcome.",
        ["compliance_requests_total"] = "Inbound messages that asked to stop, start or get help, by request.",
        ["owner_alert_total"] = "Alerts sent to business owners, by channel (email or sms) and reason (new_lead, hot_lead, escalation).",
        ["intake_rate_limited_total"] = "Intake requests refused with 429 because their sender went over the tenant's intake_rate_limit_per_min.",
        ["webhook_rejected_total"] = "Provider webhooks refused for a bad signature or secret, by source.",
        ["mail_processed_total"] = "E-mails taken in, by tenant, channel (imap, sendgrid) and outcome (accepted, duplicate, suppressed, skipped).",
        ["calls_dialed_total"] = "Qualification calls placed.",
        ["call_deferred_total"] = "Qualification calls put off, by reason (quiet_hours).",
        ["call_failure_total"] = "Qualification calls the provider refused, by kind (transient or permanent).",
        ["qualification_calls_total"] = "Qualification calls finished, by status and outcome.",
    };

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, Counter<double>> _counters = new(StringComparer.Ordinal);
    private readonly Histogram<double> _speedToLead;
    private readonly Histogram<double> _engineLatency;
    private readonly ConcurrentDictionary<(string Name, string Labels), (double Value, KeyValuePair<string, object?>[] Tags)> _gauges = new();

    public Metrics(IMeterFactory meterFactory)
    {
        // The factory, not a static Meter: each app (and each test's app) owns its instruments, and the exporter
        // listens only to its own factory's meters (see ObservabilityServices).
        _meter = meterFactory.Create(MeterName);
        foreach (string name in Counters.Keys)
        {
            CounterOf(name);
        }
        _speedToLead = _meter.CreateHistogram("e2e_seconds", unit: null,
            description: "Speed to lead: from the intake commit to the first reply accepted by the channel.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_e2eBuckets });
        _engineLatency = _meter.CreateHistogram("llm_latency_ms", unit: null,
            description: "Latency of reply-engine calls in milliseconds.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_llmBuckets });
        _meter.CreateObservableGauge("imap_connected", () => ObserveGauges("imap_connected"), unit: null,
            description: "1 while this instance is connected to the tenant's mailbox, else 0.");
    }

    /// <summary>
    /// Adds 0 without labels to every counter, so the series exist from start-up and a scrape before the first event
    /// shows every name at 0, not an absent series that an alert cannot tell from a broken exporter. Called once the
    /// exporter listens (<see cref="MetricsAtStart"/>): a measurement made before that is not seen.
    /// </summary>
    public void StartAtZero()
    {
        foreach (Counter<double> counter in _counters.Values)
        {
            counter.Add(0);
        }
    }

    /// <summary>The meter, for instruments other features observe at scrape time (jobs_pending).</summary>
    public Meter Meter => _meter;

    public void Increment(string name, params (string Key, string Value)[] labels) => Add(name, 1, labels);

    public void Add(string name, double amount, params (string Key, string Value)[] labels) =>
        CounterOf(name).Add(amount, Tags(labels));

    /// <summary>Sets a value that goes up and down (a connection's state), kept by this process.</summary>
    public void SetGauge(string name, double value, params (string Key, string Value)[] labels)
    {
        if (name != "imap_connected")
        {
            throw new ArgumentException($"'{name}' is not a gauge this service exports; add it to Metrics first.", nameof(name));
        }
        _gauges[(name, string.Join(',', labels.Select(l => l.Key + "=" + l.Value)))] = (value, Tags(labels));
    }

    public void ObserveSpeedToLead(TimeSpan elapsed, string tenant, string channel) =>
        _speedToLead.Record(elapsed.TotalSeconds, Tags([("tenant", tenant), ("channel", channel)]));

    public void ObserveEngineLatency(double milliseconds, string engine) =>
        _engineLatency.Record(milliseconds, Tags([("engine", engine)]));

    private Counter<double> CounterOf(string name) => _counters.GetOrAdd(name, n => _meter.CreateCounter<double>(
        n.EndsWith("_total", StringComparison.Ordinal) ? n[..^"_total".Length] : n,
        unit: null, description: Counters.GetValueOrDefault(n, n)));

    private IEnumerable<Measurement<double>> ObserveGauges(string name)
    {
        bool any = false;
        foreach (var entry in _gauges)
        {
            if (entry.Key.Name == name)
            {
                any = true;
                yield return new Measurement<double>(entry.Value.Value, entry.Value.Tags);
            }
        }
        if (!any)
        {
            yield return new Measurement<double>(0);
        }
    }

    private static KeyValuePair<string, object?>[] Tags((string Key, string Value)[] labels)
    {
        var tags = new KeyValuePair<string, object?>[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            tags[i] = new(labels[i].Key, labels[i].Value);
        }
        return tags;
    }
}
