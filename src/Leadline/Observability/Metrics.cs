using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Leadline.Observability;

/// <summary>
/// Counters and histograms rendered in the Prometheus text format. Small on purpose: the names are the
/// contract (PRODUCT.md 2.12), and no Prometheus client package is available here.
/// </summary>
public sealed class Metrics
{
    private static readonly double[] s_e2eBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    // Model calls take from a few hundred milliseconds to seconds, so the buckets are 100 ms wide up to 1 s and
    // 250-500 ms up to 4 s: a p95 read from them is off by less than one bucket. The low ones are the offline engine's.
    private static readonly double[] s_llmBuckets =
        [5, 10, 25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000,
         5000, 6000, 8000, 10000, 15000, 20000, 30000, 60000];

    private readonly ConcurrentDictionary<(string Name, string Labels), double> _counters = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Histogram> _histograms = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> _gauges = new();

    private static readonly Dictionary<string, string> s_help = new()
    {
        ["intake_total"] = "Inbound lead messages accepted, by tenant, channel and status (accepted, duplicate, suppressed).",
        ["dedupe_suppressed_total"] = "Inbound messages suppressed as repeats of the same contact and body inside the dedupe window.",
        ["missed_calls_total"] = "Calls to the business line decided, by mode (day, evening, night) and outcome (answered, texted, suppressed...).",
        ["send_success_total"] = "Outbound messages accepted by the delivery channel.",
        ["send_failure_total"] = "Outbound send attempts that failed, by kind (transient or permanent).",
        ["replies_total"] = "Replies drafted, by engine and whether the safe fallback was used.",
        ["jobs_failed_total"] = "Job attempts that threw, by kind.",
        ["e2e_seconds"] = "Speed to lead: from the intake commit to the first reply accepted by the channel.",
        ["llm_latency_ms"] = "Latency of reply-engine calls in milliseconds.",
        ["llm_failure_total"] = "Model calls that failed (the offline engine answered instead), by engine and reason.",
        ["llm_tokens_total"] = "Model tokens spent on replies, by engine and kind (input or output).",
        ["llm_calls_total"] = "Model calls for replies, by engine and route (fast or strong model).",
        ["llm_budget_fallback_total"] = "Replies the offline engine wrote because the tenant's monthly token budget is spent.",
        ["budget_alert_total"] = "Token budget alerts (80% and 100% of the monthly budget), by tenant and level.",
        ["guardrail_block_total"] = "Drafts the guardrails replaced by the safe fallback, by reason.",
        ["approvals_total"] = "Drafts a person approved (as written or edited) or rejected, by outcome.",
        ["owner_alert_total"] = "Alerts sent to business owners, by channel (email or sms) and reason (new_lead, hot_lead, escalation).",
        ["intake_rate_limited_total"] = "Intake requests refused with 429 because their sender went over the tenant's intake_rate_limit_per_min.",
        ["outbound_cap_reached_total"] = "Tenant hours in which sending paused at the tenant's hourly_outbound_cap (the operator is alerted once each).",
        ["send_deferred_total"] = "Deliveries put off without using an attempt, by reason (quiet_hours, hourly_outbound_cap).",
        ["mail_processed_total"] = "E-mails taken in, by tenant, channel (imap, sendgrid) and outcome (accepted, duplicate, suppressed, skipped).",
        ["imap_connected"] = "1 while this instance is connected to the tenant's mailbox, else 0.",
    };

    public void Increment(string name, params (string Key, string Value)[] labels) => Add(name, 1, labels);

    public void Add(string name, double amount, params (string Key, string Value)[] labels) =>
        _counters.AddOrUpdate((name, Format(labels)), amount, (_, v) => v + amount);

    /// <summary>Sets a value that goes up and down (a connection's state), kept by this process.</summary>
    public void SetGauge(string name, double value, params (string Key, string Value)[] labels) =>
        _gauges[(name, Format(labels))] = value;

    public void ObserveSpeedToLead(TimeSpan elapsed, string tenant, string channel) =>
        Observe("e2e_seconds", s_e2eBuckets, elapsed.TotalSeconds, ("tenant", tenant), ("channel", channel));

    public void ObserveEngineLatency(double milliseconds, string engine) =>
        Observe("llm_latency_ms", s_llmBuckets, milliseconds, ("engine", engine));

    private void Observe(string name, double[] buckets, double value, params (string Key, string Value)[] labels)
    {
        Histogram h = _histograms.GetOrAdd((name, Format(labels)), _ => new Histogram(buckets));
        h.Observe(value);
    }

    /// <summary>Writes every metric; <paramref name="gauges"/> are values read at scrape time (jobs_pending).</summary>
    public string Render(IEnumerable<(string Name, string Help, string Labels, double Value)> gauges)
    {
        var sb = new StringBuilder();
        foreach (var group in _counters.GroupBy(c => c.Key.Name).OrderBy(g => g.Key))
        {
            Header(sb, group.Key, "counter");
            foreach (var entry in group.OrderBy(e => e.Key.Labels))
            {
                sb.Append(group.Key).Append(entry.Key.Labels).Append(' ').Append(Num(entry.Value)).Append('\n');
            }
        }
        foreach (var group in _histograms.GroupBy(h => h.Key.Name).OrderBy(g => g.Key))
        {
            Header(sb, group.Key, "histogram");
            foreach (var entry in group.OrderBy(e => e.Key.Labels))
            {
                entry.Value.Render(sb, group.Key, entry.Key.Labels);
            }
        }
        foreach (var group in _gauges.GroupBy(g => g.Key.Name).OrderBy(g => g.Key))
        {
            Header(sb, group.Key, "gauge");
            foreach (var entry in group.OrderBy(e => e.Key.Labels))
            {
                sb.Append(group.Key).Append(entry.Key.Labels).Append(' ').Append(Num(entry.Value)).Append('\n');
            }
        }
        foreach (var group in gauges.GroupBy(g => g.Name))
        {
            sb.Append("# HELP ").Append(group.Key).Append(' ').Append(group.First().Help).Append('\n');
            sb.Append("# TYPE ").Append(group.Key).Append(" gauge\n");
            foreach (var g in group)
            {
                sb.Append(group.Key).Append(g.Labels).Append(' ').Append(Num(g.Value)).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, string name, string type)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(s_help.GetValueOrDefault(name, name)).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public static string Format(params (string Key, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return "";
        }
        var sb = new StringBuilder("{");
        for (int i = 0; i < labels.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(labels[i].Key).Append("=\"")
              .Append(labels[i].Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n"))
              .Append('"');
        }
        return sb.Append('}').ToString();
    }

    private static string Num(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length];
        private long _count;
        private double _sum;
        private readonly Lock _lock = new();

        public void Observe(double value)
        {
            lock (_lock)
            {
                for (int i = 0; i < bounds.Length; i++)
                {
                    if (value <= bounds[i])
                    {
                        _counts[i]++;
                    }
                }
                _count++;
                _sum += value;
            }
        }

        public void Render(StringBuilder sb, string name, string labels)
        {
            lock (_lock)
            {
                string inner = labels.Length > 0 ? labels[1..^1] + "," : "";
                for (int i = 0; i < bounds.Length; i++)
                {
                    sb.Append(name).Append("_bucket{").Append(inner).Append("le=\"").Append(Num(bounds[i])).Append("\"} ")
                      .Append(_counts[i]).Append('\n');
                }
                sb.Append(name).Append("_bucket{").Append(inner).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                sb.Append(name).Append("_sum").Append(labels).Append(' ').Append(Num(_sum)).Append('\n');
                sb.Append(name).Append("_count").Append(labels).Append(' ').Append(_count).Append('\n');
            }
        }
    }
}
