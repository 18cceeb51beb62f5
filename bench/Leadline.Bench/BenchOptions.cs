using System.Globalization;

namespace Leadline.Bench;

/// <summary>Command-line options. Every value has a default except the token, which falls back to ADMIN_BEARER_TOKEN.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Usage: Leadline.Bench [options]

        Drives a running Leadline instance: sends N distinct leads to POST /v1/intake/webhook, measures the
        intake acknowledgement latency, then waits until every lead has its first reply and checks that none
        was lost or answered twice.

          --url URL              Base URL of the server (default http://127.0.0.1:8000).
          --token TOKEN          Operator token (default: env ADMIN_BEARER_TOKEN).
          --tenant ID|SLUG       Tenant to act on (X-Tenant header; default: the server's default tenant).
          --leads N              Leads to send (default 1000).
          --concurrency C        Requests in flight at most (default 100).
          --rate R               Open loop: start R requests per second on a fixed schedule, whatever the
                                 server's pace (latency is then also measured from the scheduled start).
          --duplicates K         Duplicate storm: each lead is also re-sent K times at the same moment
                                 (same event id); it must still get exactly one lead and one reply.
          --warmup W             Leads sent and answered before measuring, not counted (default 300): a fresh
                                 server compiles its hot paths during its first few hundred leads.
          --pid PID              Server process: peak RSS (VmHWM, VmRSS) and CPU time from /proc/PID.
          --llm-url URL          The fake model the server calls (Leadline.Bench fake-llm; bench/run.sh
                                 --llm-delay-ms starts one): its record of every call splits each lead's speed
                                 to lead into model time and overhead. The server's model counters and
                                 llm_latency_ms are reported with or without it.
          --timeout-seconds S    How long to wait for replies after the last intake (default 60).
          --mail                 Mail mode: deliver N personal e-mails into --maildir, the Maildir of the mailbox
                                 the server reads with IMAP IDLE (bench/run.sh --mail sets one up), at --rate R
                                 per second or all at once, and measure delivery to first reply. Defaults there:
                                 --leads 50, --warmup 20 (e-mails, delivered at 10/s and answered first).
          --maildir DIR          The Maildir to deliver into (its tmp/ and new/).
          --json OUT             Also write the report as JSON to OUT.
          --quiet                No progress lines.
          --help                 This text.

        Exit code: 0 all good; 1 leads lost or duplicated; 2 requests failed (non-202 or transport errors)
        but nothing accepted was lost; 3 the server did not answer; 64 bad usage.
        """;

    public Uri Url { get; init; } = new("http://127.0.0.1:8000");
    public string? Token { get; init; } = Environment.GetEnvironmentVariable("ADMIN_BEARER_TOKEN");
    public string? Tenant { get; init; }
    public int Leads { get; init; } = 1000;
    public bool Mail { get; init; }
    public string? Maildir { get; init; }
    public int Concurrency { get; init; } = 100;
    public double? Rate { get; init; }
    public int Duplicates { get; init; }
    public int Warmup { get; init; } = 300;
    public int? Pid { get; init; }
    public Uri? LlmUrl { get; init; }
    public int TimeoutSeconds { get; init; } = 60;
    public string? JsonOut { get; init; }
    public bool Quiet { get; init; }
    public bool Help { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        bool leadsGiven = false;
        bool warmupGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value.");
            options = name switch
            {
                "--url" => options with { Url = ParseUrl(name, Value()) },
                "--token" => options with { Token = Value() },
                "--tenant" => options with { Tenant = Value() },
                "--leads" => options with { Leads = Int(name, Value(), 1, 10_000_000) },
                "--mail" => options with { Mail = true },
                "--maildir" => options with { Maildir = Value() },
                "--concurrency" => options with { Concurrency = Int(name, Value(), 1, 10_000) },
                "--rate" => options with { Rate = Double(name, Value(), 0.1, 1_000_000) },
                "--duplicates" => options with { Duplicates = Int(name, Value(), 0, 1000) },
                "--warmup" => options with { Warmup = Int(name, Value(), 0, 100_000) },
                "--pid" => options with { Pid = Int(name, Value(), 1, int.MaxValue) },
                "--llm-url" => options with { LlmUrl = ParseUrl(name, Value()) },
                "--timeout-seconds" => options with { TimeoutSeconds = Int(name, Value(), 1, 86_400) },
                "--json" => options with { JsonOut = Value() },
                "--quiet" => options with { Quiet = true },
                "--help" or "-h" => options with { Help = true },
                _ => throw new UsageException($"Unknown option '{name}'."),
            };
            leadsGiven |= name == "--leads";
            warmupGiven |= name == "--warmup";
        }
        if (options.Mail)
        {
            options = options with { Leads = leadsGiven ? options.Leads : 50, Warmup = warmupGiven ? options.Warmup : 20 };
            if (!options.Help && options.Maildir is null)
            {
                throw new UsageException("--mail needs --maildir: the Maildir of the mailbox the server reads (bench/run.sh --mail sets one up).");
            }
        }
        if (!options.Help && string.IsNullOrEmpty(options.Token))
        {
            throw new UsageException("No operator token: pass --token or set ADMIN_BEARER_TOKEN.");
        }
        if (options.Pid is int pid && !File.Exists($"/proc/{pid}/status"))
        {
            throw new UsageException($"--pid {pid}: no such process (/proc/{pid}/status is missing).");
        }
        return options;
    }

    private static Uri ParseUrl(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{name}: '{value}' is not an http(s) URL.");

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name}: '{value}' is not a whole number between {min} and {max}.");

    private static double Double(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name}: '{value}' is not a number between {min} and {max}.");
}

public sealed class UsageException(string message) : Exception(message);
