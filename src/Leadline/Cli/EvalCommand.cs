using System.Globalization;
using Leadline.Evaluation;
using Leadline.Replies.Llm;

namespace Leadline.Cli;

/// <summary>
/// <c>leadline eval --tenants DIR --cases FILE.jsonl [--now ISO] [--engine offline|llm|openai|anthropic] [--json [OUT]]</c>.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Means the model provider the environment configures, chosen as <see cref="ChooseProvider"/> says.</summary>
    private const string AnyLlm = "llm";

    private static readonly string[] s_engines = [LlmProviders.Offline, AnyLlm, LlmProviders.OpenAi, LlmProviders.Anthropic];

    /// <summary>The variables each provider reads, handed to the private instance with the provider.</summary>
    private static readonly Dictionary<string, string[]> s_providerSettings = new(StringComparer.Ordinal)
    {
        [LlmProviders.Offline] = [],
        [LlmProviders.OpenAi] = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "LLM_TIMEOUT_MS"],
        [LlmProviders.Anthropic] = ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL", "LLM_TIMEOUT_MS"],
    };

    private const string HowToConfigure =
        "Set OPENAI_API_KEY for OpenAI, OPENAI_BASE_URL (with OPENAI_MODEL) for an OpenAI-compatible server such as a local "
        + "Ollama at http://127.0.0.1:11434/v1, or ANTHROPIC_API_KEY for Anthropic; LLM_PROVIDER chooses when several are set.";

    public static async Task<int> RunAsync(string[] args)
    {
        string? tenants = null, cases = null, json = null, engine = "offline";
        bool jsonToStdout = false;
        DateTimeOffset? now = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new CliUsageException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--tenants": tenants = Value(); break;
                case "--cases": cases = Value(); break;
                case "--engine": engine = Value(); break;
                case "--now":
                    string raw = Value();
                    now = DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                        ? t
                        : throw new CliUsageException($"--now: '{raw}' is not a time such as 2026-11-21T15:00:00Z.");
                    break;
                case "--json":
                    if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1] != "-")
                    {
                        json = args[++i];
                    }
                    else
                    {
                        jsonToStdout = true;
                        if (i + 1 < args.Length && args[i + 1] == "-")
                        {
                            i++;
                        }
                    }
                    break;
                default:
                    throw new CliUsageException($"Unknown eval option '{args[i]}'.");
            }
        }

        if (tenants is null || cases is null)
        {
            throw new CliUsageException("eval needs --tenants DIR and --cases FILE.jsonl.");
        }
        if (!Directory.Exists(tenants))
        {
            Console.Error.WriteLine($"--tenants: no directory '{tenants}'.");
            return 66;
        }
        if (!File.Exists(cases))
        {
            Console.Error.WriteLine($"--cases: no file '{cases}'.");
            return 66;
        }
        if (!s_engines.Contains(engine))
        {
            Console.Error.WriteLine($"--engine: '{engine}' is not one of {string.Join(", ", s_engines)}.");
            return 64;
        }
        var (provider, problem) = ChooseProvider(engine, Environment.GetEnvironmentVariable);
        if (provider is null)
        {
            Console.Error.WriteLine($"--engine {engine}: {problem}");
            return 64;
        }

        Console.Error.WriteLine($"Evaluating {cases} against the tenants in {tenants} with the {provider} engine...");
        var settings = s_providerSettings[provider]
            .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
            .Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .ToDictionary(v => v.Name, v => v.Value);
        EvalReport report;
        try
        {
            report = await new EvalRunner(new EvalOptions(tenants, cases, now, provider) { Settings = settings }, Console.Error).RunAsync();
        }
        catch (EvalSetupException e)
        {
            Console.Error.WriteLine($"Could not set up the evaluation tenants: {e.Message}");
            return 65;
        }

        string text = Json.Serialize(report);
        if (json is not null)
        {
            await File.WriteAllTextAsync(json, text);
            Console.Error.WriteLine($"JSON report written to {json}");
        }
        Console.WriteLine(jsonToStdout ? text : report.ToTable());
        return 0;
    }

    /// <summary>
    /// The provider <paramref name="engine"/> stands for, or why there is none. <c>llm</c> is <c>LLM_PROVIDER</c> when
    /// it names a model provider, else OpenAI when <c>OPENAI_API_KEY</c> or <c>OPENAI_BASE_URL</c> is set, else
    /// Anthropic when <c>ANTHROPIC_API_KEY</c> is; <c>openai</c> and <c>anthropic</c> need their own settings.
    /// </summary>
    private static (string? Provider, string? Problem) ChooseProvider(string engine, Func<string, string?> environment)
    {
        bool Set(string name) => !string.IsNullOrWhiteSpace(environment(name));
        bool openAi = Set("OPENAI_API_KEY") || Set("OPENAI_BASE_URL");
        bool anthropic = Set("ANTHROPIC_API_KEY");
        switch (engine)
        {
            case LlmProviders.Offline:
                return (LlmProviders.Offline, null);
            case LlmProviders.OpenAi:
                return openAi ? (LlmProviders.OpenAi, null) : (null, $"OpenAI is not configured. {HowToConfigure}");
            case LlmProviders.Anthropic:
                return anthropic ? (LlmProviders.Anthropic, null) : (null, $"Anthropic is not configured. {HowToConfigure}");
        }

        string? chosen = environment("LLM_PROVIDER")?.Trim().ToLowerInvariant();
        if (chosen is { Length: > 0 } && !LlmProviders.All.Contains(chosen))
        {
            throw new ConfigException("LLM_PROVIDER", $"'{chosen}' is not one of {string.Join(", ", LlmProviders.All)}");
        }
        if (chosen == LlmProviders.OpenAi && !openAi)
        {
            return (null, $"LLM_PROVIDER is openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. {HowToConfigure}");
        }
        if (chosen == LlmProviders.Anthropic && !anthropic)
        {
            return (null, $"LLM_PROVIDER is anthropic but ANTHROPIC_API_KEY is not set. {HowToConfigure}");
        }
        return chosen is LlmProviders.OpenAi or LlmProviders.Anthropic ? (chosen, null)
            : openAi ? (LlmProviders.OpenAi, null)
            : anthropic ? (LlmProviders.Anthropic, null)
            : (null, $"no model provider is configured. {HowToConfigure}");
    }
}
