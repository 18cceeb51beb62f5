using System.Globalization;

namespace Leadline.Bench;

/// <summary>Options of the <c>fake-llm</c> mode: where to listen and how long each answer takes.</summary>
public sealed record FakeModelOptions
{
    public const string Usage = """
        Usage: Leadline.Bench fake-llm [options]

        Serves an OpenAI-compatible POST /v1/chat/completions on 127.0.0.1 for benchmarks: every request is answered
        after a delay with a valid reply (the booking link of the prompt, no other facts) and a usage block. It records
        each call (the lead's "ref" from the prompt, the delay applied, its own handling time), which the bench reads
        from GET /bench/calls with --llm-url to split each lead's speed to lead into model latency and overhead.

          --port P          Port on 127.0.0.1 (default 8090).
          --delay-ms N      Model latency to simulate, in milliseconds (default 800).
          --jitter-ms J     Each delay is drawn uniformly from N - J to N + J (default 0, a fixed delay).
          --help            This text.
        """;

    public int Port { get; init; } = 8090;
    public int DelayMs { get; init; } = 800;
    public int JitterMs { get; init; }
    public bool Help { get; init; }

    public static FakeModelOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FakeModelOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value.");
            options = name switch
            {
                "--port" => options with { Port = Int(name, Value(), 1, 65535) },
                "--delay-ms" => options with { DelayMs = Int(name, Value(), 0, 600_000) },
                "--jitter-ms" => options with { JitterMs = Int(name, Value(), 0, 600_000) },
                "--help" or "-h" => options with { Help = true },
                _ => throw new UsageException($"Unknown option '{name}'."),
            };
        }
        if (options.JitterMs > options.DelayMs)
        {
            throw new UsageException($"--jitter-ms {options.JitterMs} is more than --delay-ms {options.DelayMs}: a delay cannot be negative.");
        }
        return options;
    }

    /// <summary>The delay of one call: fixed, or uniform in [delay - jitter, delay + jitter].</summary>
    public TimeSpan NextDelay() =>
        TimeSpan.FromMilliseconds(JitterMs == 0 ? DelayMs : DelayMs - JitterMs + Random.Shared.NextDouble() * 2 * JitterMs);

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name}: '{value}' is not a whole number between {min} and {max}.");
}
