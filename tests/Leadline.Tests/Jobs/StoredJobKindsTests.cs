using System.Net;
using System.Text.Json;
using Leadline.Jobs;
using Leadline.Tests.Alerts;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Jobs;

/// <summary>
/// Rows that an earlier version queued (or left dead) carry the kind names and payload JSON it wrote; after an
/// upgrade the worker must still find their handlers and read their payloads.
/// </summary>
public abstract class StoredJobKindsTests(LeadlineApp app)
{
    [Fact]
    public void TheKindsTheWorkerRunsAreTheNamesStoredRowsCarry()
    {
        string[] kinds = [.. app.Services.GetServices<JobDispatch>().Select(d => d.Kind).Order(StringComparer.Ordinal)];
        Assert.Equal(
            ["budget-alert", "deliver", "outbound-cap-alert", "owner-alert", "owner-sms", "qualification-call", "qualification-call-finalize", "reply"],
            kinds);
    }

    [Fact]
    public async Task AReplyJobRowWrittenByAnEarlierVersionStillRunsAndTheLeadIsAnswered()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        await tenant.SetAsync(new { auto_reply = false });
        JsonElement accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "evt-" + Guid.NewGuid().ToString("N"),
            email = $"p{Guid.NewGuid():N}@example.com",
            first_name = "Jordan",
            message = "What are your opening hours?",
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        Guid messageId = accepted.GetProperty("message_id").GetGuid();
        Assert.Empty((await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK)).Outbound());

        // Exactly as the earlier version wrote it: the kind as a literal, the payload as snake_case JSON.
        Guid job = await StoredJobs.InsertAsync(app, "reply", tenant.Id,
            $$"""{"message_id":"{{messageId}}","compliance":"none","confirm":false}""", "reply:" + messageId);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.GetProperty("status").GetString());
        Assert.Equal(("done", null), await StoredJobs.SettledAsync(app, job));
    }
}

public sealed class SqliteStoredJobKindsTests(SqliteApp app) : StoredJobKindsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresStoredJobKindsTests(PostgresApp app) : StoredJobKindsTests(app), IClassFixture<PostgresApp>;
