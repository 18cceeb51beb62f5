using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Tenants;

public abstract class TenantsApiTests(LeadlineApp app)
{
    private static object Lead(string eventId) => new { event_id = eventId, email = "lead@example.com", message = "Do you have time next week?" };

    [Fact]
    public async Task CreatingATenantReturnsItsKeyOnceAndStoresOnlyTheHash()
    {
        using HttpClient op = app.Operator();
        string slug = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await op.PostJsonAsync("/v1/tenants", new { name = "Acme Dental", slug, timezone = "America/New_York" }))
            .JsonAsync(HttpStatusCode.Created);
        string key = created.GetProperty("api_key").GetString()!;
        Assert.StartsWith("ll_", key);
        Assert.Equal(slug, created.GetProperty("slug").GetString());
        Assert.Equal("America/New_York", created.GetProperty("settings").GetProperty("timezone").GetString());

        var fetched = await (await op.GetAsync($"/v1/tenants/{created.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(fetched.TryGetProperty("api_key", out _));

        var db = app.Services.GetRequiredService<Db>();
        await using var connection = await db.OpenAsync();
        string? hash = await connection.ExecuteScalarAsync<string>("SELECT api_key_hash FROM tenants WHERE slug = @slug", new { slug });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), hash);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM tenants WHERE config LIKE @k OR api_key_hash = @key", new { k = "%" + key + "%", key }));
    }

    [Fact]
    public async Task TheKeyWorksAsBearerOrXApiKey()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var viaBearer = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("a1"))).JsonAsync(HttpStatusCode.Accepted);

        using HttpClient viaHeader = app.CreateClient();
        viaHeader.DefaultRequestHeaders.Add("X-API-Key", tenant.ApiKey);
        var lead = await (await viaHeader.GetAsync($"/v1/leads/{viaBearer.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("lead@example.com", lead.GetProperty("email").GetString());
    }

    [Fact]
    public async Task ATenantKeyCannotManageTenants()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var problem = await (await tenant.Client.PostJsonAsync("/v1/tenants", new { name = "x", slug = "x-" + Guid.NewGuid().ToString("N")[..6] }))
            .JsonAsync(HttpStatusCode.Forbidden);
        Assert.Contains("operator token", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RotatingTheKeyRetiresTheOldOne()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        using HttpClient op = app.Operator();
        var rotated = await (await op.PostAsync($"/v1/tenants/{tenant.Id}/rotate-api-key", null)).JsonAsync(HttpStatusCode.OK);
        string fresh = rotated.GetProperty("api_key").GetString()!;
        Assert.NotEqual(tenant.ApiKey, fresh);

        await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("r1"))).JsonAsync(HttpStatusCode.Unauthorized);
        using HttpClient renewed = app.CreateClient();
        renewed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        await (await renewed.PostJsonAsync("/v1/intake/webhook", Lead("r2"))).JsonAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task APausedTenantsIntakeIsRejectedUntilActivated()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        using HttpClient op = app.Operator();
        var paused = await (await op.PostAsync($"/v1/tenants/{tenant.Slug}/pause", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("paused", paused.GetProperty("status").GetString());

        var problem = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("p1"))).JsonAsync(HttpStatusCode.Locked);
        Assert.Contains("paused", problem.GetProperty("detail").GetString());
        await (await tenant.Client.PostJsonAsync("/webhooks/web-form", new { name = "A", email = "a@example.com", message = "hi" }))
            .JsonAsync(HttpStatusCode.Locked);

        await (await op.PostAsync($"/v1/tenants/{tenant.Id}/activate", null)).JsonAsync(HttpStatusCode.OK);
        await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("p2"))).JsonAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task ADuplicateSlugIsAConflictAndABadSlugIsNamed()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        using HttpClient op = app.Operator();
        var conflict = await (await op.PostJsonAsync("/v1/tenants", new { name = "Again", slug = tenant.Slug })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains(tenant.Slug, conflict.GetProperty("detail").GetString());

        var invalid = await (await op.PostJsonAsync("/v1/tenants", new { name = "", slug = "Bad Slug!", timezone = "Mars/Olympus" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        JsonElement errors = invalid.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("slug", out _));
        Assert.Contains("Mars/Olympus", errors.GetProperty("timezone")[0].GetString());
    }

    [Fact]
    public async Task TheOperatorCanActOnANamedTenant()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        using HttpClient op = app.Operator();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/intake/webhook") { Content = JsonContent(Lead("op1")) };
        request.Headers.Add("X-Tenant", tenant.Slug);
        var body = await (await op.SendAsync(request)).JsonAsync(HttpStatusCode.Accepted);
        await (await tenant.Client.GetAsync($"/v1/leads/{body.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);

        var missing = new HttpRequestMessage(HttpMethod.Post, "/v1/intake/webhook") { Content = JsonContent(Lead("op2")) };
        missing.Headers.Add("X-Tenant", "no-such-tenant");
        var problem = await (await op.SendAsync(missing)).JsonAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-tenant", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UsageCountsTheTenantsLeadsAndMessages()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var body = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("u1"))).JsonAsync(HttpStatusCode.Accepted);
        await tenant.Client.WaitForLeadAsync(body.GetProperty("lead_id").GetGuid(), l => l.Outbound().Any());
        using HttpClient op = app.Operator();
        var usage = await (await op.GetAsync($"/v1/tenants/{tenant.Id}/usage")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, usage.GetProperty("leads_total").GetInt32());
        Assert.Equal(1, usage.GetProperty("messages_in_this_month").GetInt32());
        Assert.Equal(1, usage.GetProperty("messages_out_this_month").GetInt32());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

public sealed class SqliteTenantsApiTests(SqliteApp app) : TenantsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTenantsApiTests(PostgresApp app) : TenantsApiTests(app), IClassFixture<PostgresApp>;
