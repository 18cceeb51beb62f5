using System.Net;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Tests.Alerts;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Jobs;

/// <summary>A job acts for its own tenant only: a row naming another tenant's message finds nothing to do.</summary>
public abstract class JobTenancyTests(LeadlineApp app)
{
    [Fact]
    public async Task ADeliverJobOfOneTenantCannotSendAnotherTenantsMessage()
    {
        TestTenant owner = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        await owner.SetAsync(new { approve_before_send = true });
        JsonElement accepted = await (await owner.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "evt-" + Guid.NewGuid().ToString("N"),
            email = $"p{Guid.NewGuid():N}@example.com",
            message = "What are your opening hours?",
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        JsonElement lead = await owner.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any());
        Guid draftId = lead.Outbound().Single().GetProperty("id").GetGuid();

        // The draft made sendable by hand, then a delivery queued under the other tenant's name.
        await using (var connection = await app.Services.GetRequiredService<Db>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE messages SET status = 'queued' WHERE id = @draftId", new { draftId });
        }
        Guid job = await StoredJobs.InsertAsync(app, "deliver", other.Id, $$"""{"message_id":"{{draftId}}"}""");

        (string status, string? error) = await StoredJobs.SettledAsync(app, job);
        Assert.Equal("dead", status);
        Assert.Contains($"outbound message {draftId} does not exist", error);
        lead = await (await owner.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("queued", lead.Outbound().Single().GetProperty("status").GetString());
    }
}

public sealed class SqliteJobTenancyTests(SqliteApp app) : JobTenancyTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresJobTenancyTests(PostgresApp app) : JobTenancyTests(app), IClassFixture<PostgresApp>;
