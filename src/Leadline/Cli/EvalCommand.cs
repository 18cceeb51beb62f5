using System.Globalization;
using Leadline.Evaluation;

namespace Leadline.Cli;

/// <summary><c>leadline eval --tenants DIR --cases FILE.jsonl [--now ISO] [--engine offline|llm] [--json [OUT]]</c>.</summary>
internal static class EvalCommand
{
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
        if (engine != "offline")
        {
            Console.Error.WriteLine(engine == "llm"
                ? "--engine llm: no LLM engine is configured in this build yet; use --engine offline."
                : $"--engine: '{engine}' is not one of offline, llm.");
            return 64;
        }

        Console.Error.WriteLine($"Evaluating {cases} against the tenants in {tenants}...");
        EvalReport report;
        try
        {
            report = await new EvalRunner(new EvalOptions(tenants, cases, now, engine), Console.Error).RunAsync();
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
}
