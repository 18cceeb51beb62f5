using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Observability;

public abstract class HealthApiTests(LeadlineApp app)
{
    [Fact]
    public async Task HealthReportsTheDatabaseAndQueue()
    {
        var health = await (await app.CreateClient().GetAsync("/healthz")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("database").GetString());
        Assert.Equal("ok", health.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task ReadyWhenEveryMigrationIsApplied()
    {
        var ready = await (await app.CreateClient().GetAsync("/readyz")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheEndpoints()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
        JsonElement paths = doc.GetProperty("paths");
        foreach (string path in new[] { "/v1/intake/webhook", "/webhooks/web-form", "/v1/leads/{id}", "/v1/tenants", "/v1/tenants/{id}/rotate-api-key", "/healthz" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
        JsonElement intake = paths.GetProperty("/v1/intake/webhook").GetProperty("post");
        Assert.True(intake.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(intake.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(intake.GetProperty("responses").TryGetProperty("422", out _));

        var ui = await app.CreateClient().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnknownPathIsAProblemWithADetail()
    {
        var problem = await (await app.CreateClient().GetAsync("/v1/nothing-here")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Contains("/docs", problem.GetProperty("detail").GetString());
    }
}

public sealed class SqliteHealthApiTests(SqliteApp app) : HealthApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresHealthApiTests(PostgresApp app) : HealthApiTests(app), IClassFixture<PostgresApp>;
