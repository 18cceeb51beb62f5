using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Leads;

public abstract class LeadsApiTests(LeadlineApp app)
{
    private static async Task<Guid> NewLeadAsync(TestTenant tenant, int n)
    {
        var body = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = $"l-{n}",
            email = $"lead{n}@example.com",
            message = $"Message number {n}",
        })).JsonAsync(HttpStatusCode.Accepted);
        return body.GetProperty("lead_id").GetGuid();
    }

    [Fact]
    public async Task LeadsArePagedNewestFirstWithACursor()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var ids = new List<Guid>();
        for (int i = 0; i < 5; i++)
        {
            ids.Add(await NewLeadAsync(tenant, i));
        }

        var first = await (await tenant.Client.GetAsync("/v1/leads?limit=2")).JsonAsync(HttpStatusCode.OK);
        var seen = first.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ToList();
        string? cursor = first.GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            var page = await (await tenant.Client.GetAsync($"/v1/leads?limit=2&cursor={cursor}")).JsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task ScoreOverridesAndFiltersWork()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        Guid hot = await NewLeadAsync(tenant, 1);
        await NewLeadAsync(tenant, 2);

        var scored = await (await tenant.Client.PatchAsync($"/v1/leads/{hot}/score", JsonContent(new { score = "hot", reason = "called in" }))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("HOT", scored.GetProperty("score").GetString());

        var filtered = await (await tenant.Client.GetAsync("/v1/leads?score=HOT")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([hot], filtered.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
        var hotList = await (await tenant.Client.GetAsync("/v1/leads/hot")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([hot], hotList.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));

        var bad = await (await tenant.Client.PatchAsync($"/v1/leads/{hot}/score", JsonContent(new { score = "LUKEWARM" }))).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("HOT", bad.GetProperty("errors").GetProperty("score")[0].GetString());
        var badFilter = await (await tenant.Client.GetAsync("/v1/leads?state=SLEEPING&limit=0")).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(badFilter.GetProperty("errors").TryGetProperty("state", out _));
        Assert.True(badFilter.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task TheLifecycleRefusesMovesItDoesNotAllow()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        Guid id = await NewLeadAsync(tenant, 1);
        var qualified = await (await tenant.Client.PatchAsync($"/v1/leads/{id}/state", JsonContent(new { state = "QUALIFIED" }))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("QUALIFIED", qualified.GetProperty("state").GetString());

        var refused = await (await tenant.Client.PatchAsync($"/v1/leads/{id}/state", JsonContent(new { state = "NEW" }))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("QUALIFIED cannot move to NEW", refused.GetProperty("detail").GetString());

        var handedOff = await (await tenant.Client.PostAsync($"/v1/leads/{id}/handoff", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("HANDED_OFF", handedOff.GetProperty("state").GetString());
        Assert.True(handedOff.GetProperty("escalated").GetBoolean());
        await (await tenant.Client.PostAsync($"/v1/leads/{id}/handoff", null)).JsonAsync(HttpStatusCode.OK);
        await (await tenant.Client.PatchAsync($"/v1/leads/{id}/state", JsonContent(new { state = "APPOINTMENT_BOOKED" }))).JsonAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnotherTenantsLeadCannotBeChanged()
    {
        TestTenant owner = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        Guid id = await NewLeadAsync(owner, 1);
        await (await other.Client.PatchAsync($"/v1/leads/{id}/score", JsonContent(new { score = "HOT" }))).JsonAsync(HttpStatusCode.NotFound);
        await (await other.Client.PatchAsync($"/v1/leads/{id}/state", JsonContent(new { state = "QUALIFIED" }))).JsonAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync($"/v1/leads/{id}/handoff", null)).JsonAsync(HttpStatusCode.NotFound);
        var page = await (await other.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

public sealed class SqliteLeadsApiTests(SqliteApp app) : LeadsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresLeadsApiTests(PostgresApp app) : LeadsApiTests(app), IClassFixture<PostgresApp>;
