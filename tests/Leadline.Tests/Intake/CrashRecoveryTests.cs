using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Intake;

/// <summary>
/// kill -9 in the middle of a burst of leads, restart, and let the senders retry what was not acknowledged
/// (as webhook senders do): every lead is answered exactly once.
/// </summary>
public abstract class CrashRecoveryTests(Func<string> newDbUrl)
{
    private const int Leads = 200;

    private static object Lead(int i) => new
    {
        event_id = $"crash-{i}",
        email = $"lead{i}@example.com",
        first_name = "Sam",
        message = $"Hello, question number {i} about your services",
    };

    [Fact]
    public async Task AKilledServerLosesNoAcknowledgedLeadAndRepliesOnceToEach()
    {
        string dbUrl = newDbUrl();
        var acknowledged = new ConcurrentDictionary<int, Guid>();

        await using (ServerProcess first = await ServerProcess.StartAsync(dbUrl))
        {
            using HttpClient client = first.Operator();
            var killed = new TaskCompletionSource();
            var sends = Enumerable.Range(0, Leads).Select(async i =>
            {
                await Task.Delay(i * 2);
                try
                {
                    var response = await client.PostJsonAsync("/v1/intake/webhook", Lead(i));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                        acknowledged[i] = body.GetProperty("lead_id").GetGuid();
                        if (acknowledged.Count == Leads / 2)
                        {
                            first.Kill();
                            killed.TrySetResult();
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The server died under this request: it was never acknowledged, so the sender retries it.
                }
            }).ToList();
            await Task.WhenAll(sends);
            Assert.True(killed.Task.IsCompleted, "the server was not killed mid-burst");
        }
        Assert.InRange(acknowledged.Count, Leads / 2, Leads - 1);

        await using ServerProcess second = await ServerProcess.StartAsync(dbUrl);
        using HttpClient retry = second.Operator();
        var leadIds = new Dictionary<int, Guid>();
        for (int i = 0; i < Leads; i++)
        {
            // Every sender retries whatever it is unsure of; acknowledged ones must come back as duplicates.
            JsonElement body = await (await retry.PostJsonAsync("/v1/intake/webhook", Lead(i))).JsonAsync(HttpStatusCode.Accepted);
            string status = body.GetProperty("status").GetString()!;
            leadIds[i] = body.GetProperty("lead_id").GetGuid();
            if (acknowledged.TryGetValue(i, out Guid earlier))
            {
                Assert.Equal("duplicate", status);
                Assert.Equal(earlier, leadIds[i]);
            }
        }

        foreach (var (i, leadId) in leadIds)
        {
            JsonElement lead = await retry.WaitForLeadAsync(leadId,
                l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"), timeoutMs: 30_000);
            Assert.True(lead.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"), $"lead {i} was never answered");
            Assert.Single(lead.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "in");
            Assert.Single(lead.Outbound());
        }
    }
}

public sealed class SqliteCrashRecoveryTests() : CrashRecoveryTests(TestDatabases.NewSqliteUrl);

public sealed class PostgresCrashRecoveryTests() : CrashRecoveryTests(TestDatabases.NewPostgresUrl);
