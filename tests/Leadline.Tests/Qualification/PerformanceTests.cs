using System.Diagnostics;
using System.Text.Json.Nodes;
using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>The offline engine answers within the speed-to-lead budget: thousands of messages a second.</summary>
public class PerformanceTests
{
    [Fact]
    public void ThousandsOfMessagesAreQualifiedEachSecond()
    {
        string path = QualificationKit.FromRepoRoot("tests/Leadline.Tests/Qualification/cases/qualification-cases.jsonl");
        string[] messages = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => (string)JsonNode.Parse(l)!["message"]!).ToArray();
        var context = new QualifierContext(QualificationKit.ChicagoNow, "USD", QualificationKit.PlumbingServices);
        // Warm up: the phrase tables compile once, and the JIT optimises the hot paths after a few thousand calls.
        for (int i = 0; i < 2000; i++)
        {
            Qualifier.Extract(messages[i % messages.Length], context);
        }

        const int count = 5000;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            Qualifier.Extract(messages[i % messages.Length], context);
        }
        watch.Stop();

        // A loose bound for a shared 2-core machine: a quiet core does several thousand a second.
        double perSecond = count / watch.Elapsed.TotalSeconds;
        Assert.True(perSecond > 1000, $"{perSecond:0} messages per second");
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
