using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Leadline.Tests.Infrastructure;

/// <summary>
/// Stoplight Prism (npm <c>@stoplight/prism-cli</c>) mocking one provider's official OpenAPI document on a loopback
/// port in errors mode: a request the document rejects gets 422 (or 400, 401, 415) instead of the example answer.
/// ./test.sh installs Prism and puts its path in LEADLINE_TEST_PRISM.
/// </summary>
public sealed class PrismMock : IAsyncDisposable
{
    public const string Variable = "LEADLINE_TEST_PRISM";

    private readonly Process _process;

    private PrismMock(Process process, int port, TimeSpan startup)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        Startup = startup;
    }

    /// <summary>Prism's executable from LEADLINE_TEST_PRISM, or null when the variable is not set.</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    public string BaseUrl { get; }

    /// <summary>How long Prism took from start to its first answer.</summary>
    public TimeSpan Startup { get; }

    /// <summary>A provider description kept with the tests (tests/Leadline.Tests/Delivery/specs), by file name.</summary>
    public static string SpecFile(string name) =>
        Path.Combine(Evaluation.EvalRunnerTests.RepoRoot(), "tests", "Leadline.Tests", "Delivery", "specs", name);

    /// <summary>Starts Prism on <paramref name="document"/> and waits until it answers.</summary>
    public static async Task<PrismMock> StartAsync(string document)
    {
        string executable = Executable ?? throw new InvalidOperationException($"{Variable} is not set; ./test.sh installs Prism and sets it");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"{Variable} points at {executable}, which does not exist; run ./test.sh to install Prism");
        }
        long started = Stopwatch.GetTimestamp();
        int port = FreePort();
        var info = new ProcessStartInfo(executable, ["mock", "--errors", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), document])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        var output = new ConcurrentQueue<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Prism exited with code {process.ExitCode} during start-up:\n{string.Join('\n', output)}");
            }
            if (output.Any(line => line.Contains("Prism is listening", StringComparison.Ordinal)) && await AcceptsAsync(port))
            {
                return new PrismMock(process, port, Stopwatch.GetElapsedTime(started));
            }
            await Task.Delay(50);
        }
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new TimeoutException($"Prism did not start within 90 s:\n{string.Join('\n', output)}");
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        // Prism logs every request; start-up is all a failure report needs.
        if (line is not null && output.Count < 200)
        {
            output.Enqueue(line);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
