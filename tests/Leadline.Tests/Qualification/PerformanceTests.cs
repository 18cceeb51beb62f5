using System.Diagnostics;
using System.Text.Json.Nodes;
using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Timing tests run alone: other test classes running beside them would share the two cores.</summary>
[CollectionDefinition(nameof(PerformanceTests), DisableParallelization = true)]
public sealed class PerformanceCollection;

/// <summary>The offline engine answers within the speed-to-lead budget: thousands of messages a second.</summary>
[Collection(nameof(PerformanceTests))]
public class PerformanceTests
{
    [Fact]
    public void ThousandsOfMessagesAreQualifiedEachSecondOfProcessorTime()
    {
        string path = QualificationKit.FromRepoRoot("tests/Leadline.Tests/Qualification/cases/qualification-cases.jsonl");
        string[] messages = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => (string)JsonNode.Parse(l)!["message"]!).ToArray();
        var context = new QualifierContext(QualificationKit.ChicagoNow, "USD", QualificationKit.PlumbingServices);
        // Warm up: the phrase tables compile once, and the JIT optimises the hot paths after a few thousand calls.
        for (int i = 0; i < 3000; i++)
        {
            Qualifier.Extract(messages[i % messages.Length], context);
        }

        const int count = 5000;
        using var process = Process.GetCurrentProcess();
        TimeSpan before = process.TotalProcessorTime;
        for (int i = 0; i < count; i++)
        {
            Qualifier.Extract(messages[i % messages.Length], context);
        }
        process.Refresh();
        TimeSpan used = process.TotalProcessorTime - before;

        // Processor time, not wall time: the machine is shared, and waiting for a core is not the engine's cost.
        // A debug build on a busy core still does well over a thousand; an optimised build several thousand.
        double perSecond = count / used.TotalSeconds;
        Assert.True(perSecond > 1000, $"{perSecond:0} messages per second of processor time");
    }

    [Fact]
    public void TheSameMessageAndClockAlwaysGiveTheSameResult()
    {
        const string message = "Burst pipe! Budget up to $3,500, can you come today? أبي أكلم موظف";
        QualificationResult first = QualificationKit.Extract(message);
        for (int i = 0; i < 20; i++)
        {
            QualificationResult again = QualificationKit.Extract(message);
            Assert.Equal(first with { Evidence = [] }, again with { Evidence = [] });
            Assert.Equal(first.Evidence, again.Evidence);
        }
    }
}
