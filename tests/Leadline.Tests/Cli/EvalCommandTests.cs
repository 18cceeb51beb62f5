using System.Diagnostics;
using System.Text.Json;
using Leadline.Tests.Evaluation;
using Leadline.Tests.Replies.Llm;

namespace Leadline.Tests.Cli;

/// <summary>
/// <c>leadline eval</c> as a person runs it: the real executable in its own process, with an environment the test
/// writes (the test process's own environment is never changed, as tests run in parallel).
/// </summary>
public class EvalCommandTests
{
    private static readonly string[] s_providerVariables =
    [
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
        "LLM_PROVIDER", "LLM_TIMEOUT_MS",
    ];

    private sealed record CliRun(int ExitCode, string Output, string Error);

    private static string[] SampleArgs(params string[] more)
    {
        string sample = Path.Combine(EvalRunnerTests.RepoRoot(), "tests", "Leadline.Tests", "Evaluation", "sample");
        return ["eval", "--tenants", Path.Combine(sample, "tenants"), "--cases", Path.Combine(sample, "sample-cases.jsonl"),
            "--now", "2026-11-21T15:00:00Z", .. more];
    }

    /// <summary>Runs the command with no provider variables but those given, in an empty directory (so no .env is read).</summary>
    private static async Task<CliRun> RunAsync(Dictionary<string, string> environment, string[] args)
    {
        string directory = Path.Combine(Path.GetTempPath(), "leadline-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Leadline.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (string name in s_providerVariables)
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return new CliRun(process.ExitCode, await output, await error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("llm")]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task AModelEngineWithoutAConfiguredProviderExitsWith64AndNamesTheVariablesToSet(string engine)
    {
        CliRun run = await RunAsync([], SampleArgs("--engine", engine));

        Assert.Equal(64, run.ExitCode);
        Assert.Contains($"--engine {engine}: ", run.Error, StringComparison.Ordinal);
        foreach (string variable in new[] { "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "LLM_PROVIDER" })
        {
            Assert.Contains(variable, run.Error, StringComparison.Ordinal);
        }
        Assert.Contains("http://127.0.0.1:11434/v1", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task AnUnknownEngineExitsWith64AndListsTheChoices()
    {
        CliRun run = await RunAsync([], SampleArgs("--engine", "gpt"));

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("--engine: 'gpt' is not one of offline, llm, openai, anthropic.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EngineLlmUsesTheProviderTheEnvironmentConfiguresAndReportsIt()
    {
        await using var llm = new FakeLlm();
        CliRun run = await RunAsync(new() { ["OPENAI_BASE_URL"] = llm.BaseUrl + "/v1", ["OPENAI_MODEL"] = "local-llama" }, SampleArgs("--engine", "llm", "--json"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(llm.RequestCount > 0, "the model was never asked");
        Assert.Contains("with the openai engine", run.Error, StringComparison.Ordinal);
        Assert.Contains($"Engine: openai, model local-llama at {llm.BaseUrl}/v1", run.Error, StringComparison.Ordinal);
        JsonElement report = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("openai", report.GetProperty("engine").GetString());
        Assert.Equal("local-llama", report.GetProperty("model").GetString());
        Assert.Equal(17, report.GetProperty("engines").GetProperty("openai").GetInt32());
        Assert.Equal(0, report.GetProperty("violations").GetInt32());
    }

    [Fact]
    public async Task EngineOfflineStaysOfflineWhenTheEnvironmentHasAProviderKey()
    {
        await using var llm = new FakeLlm();
        CliRun run = await RunAsync(new()
        {
            ["OPENAI_API_KEY"] = "sk-test-0123456789",
            ["OPENAI_BASE_URL"] = llm.BaseUrl + "/v1",
            ["ANTHROPIC_API_KEY"] = "sk-ant-test-0123456789",
            ["ANTHROPIC_BASE_URL"] = llm.BaseUrl,
        }, SampleArgs("--engine", "offline"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(0, llm.RequestCount);
        Assert.Contains("Engine: offline (no model)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Leadline evaluation: 17 cases, engine offline", run.Output, StringComparison.Ordinal);
        Assert.Contains("Replies by engine: offline 17", run.Output, StringComparison.Ordinal);
    }
}
