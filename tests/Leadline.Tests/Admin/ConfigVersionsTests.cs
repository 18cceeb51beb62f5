using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Admin;

public abstract class ConfigVersionsTests(LeadlineApp app)
{
    [Fact]
    public async Task EveryChangeMakesANewVersionWithItsReason()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        HttpClient client = tenant.Client;
        await (await client.PostJsonAsync("/v1/admin/faqs", new { question = "Open Sundays?", answer = "No.", external_id = "sundays" })).JsonAsync(HttpStatusCode.Created);
        await (await client.PutAsJsonAsync("/v1/admin/settings", new { booking_link = "https://cal.com/acme/a" })).JsonAsync(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/v1/admin/tone", new { style = "casual" })).JsonAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("/v1/admin/templates", new { name = "fallback.en", source = "{{thanks}} {{cta}}" })).JsonAsync(HttpStatusCode.OK);
        await (await client.DeleteAsync("/v1/admin/faqs/sundays")).JsonAsync(HttpStatusCode.OK);

        JsonElement list = await (await client.GetAsync("/v1/admin/config-versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, list.GetProperty("config_version").GetInt32());
        var versions = list.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([6, 5, 4, 3, 2, 1], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.True(versions[0].GetProperty("active").GetBoolean());
        Assert.False(versions[1].GetProperty("active").GetBoolean());
        Assert.Equal(
            ["faq sundays deleted", "template fallback.en saved", "tone updated", "settings updated", "faq sundays created", "created"],
            versions.Select(v => v.GetProperty("reason").GetString()));

        TestTenant other = await app.CreateTenantAsync();
        JsonElement theirs = await (await other.Client.GetAsync("/v1/admin/config-versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(theirs.GetProperty("versions").EnumerateArray());
        await (await other.Client.GetAsync("/v1/admin/config-versions/3")).JsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RollbackRestoresAnOlderVersionsFaqsAndSettingsAsANewVersion()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        HttpClient client = tenant.Client;
        string hoursId = (await (await client.PostJsonAsync("/v1/admin/faqs", new { question = "When are you open?", answer = "9 to 5.", external_id = "hours" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;                                                  // v2
        await (await client.PutAsJsonAsync("/v1/admin/settings", new { booking_link = "https://cal.com/acme/old" })).JsonAsync(HttpStatusCode.OK); // v3
        await (await client.PutAsJsonAsync("/v1/admin/faqs/hours", new { answer = "8 to 6." })).JsonAsync(HttpStatusCode.OK);         // v4
        await (await client.PostJsonAsync("/v1/admin/faqs", new { question = "Parking?", answer = "Yes.", external_id = "parking" })).JsonAsync(HttpStatusCode.Created); // v5
        await (await client.DeleteAsync("/v1/admin/faqs/hours")).JsonAsync(HttpStatusCode.OK);                                    // v6
        await (await client.PostJsonAsync("/v1/admin/faqs", new { question = "Hours?", answer = "Always.", external_id = "hours" })).JsonAsync(HttpStatusCode.Created); // v7
        await (await client.PutAsJsonAsync("/v1/admin/settings", new { booking_link = "https://cal.com/acme/new", confidence_threshold = 0.8 })).JsonAsync(HttpStatusCode.OK); // v8

        JsonElement rolledBack = await (await client.PostJsonAsync("/v1/admin/rollback", new { version = 4 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(9, rolledBack.GetProperty("config_version").GetInt32());
        Assert.Equal(4, rolledBack.GetProperty("restored_version").GetInt32());

        JsonElement faqs = await (await client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK);
        JsonElement hours = Assert.Single(faqs.GetProperty("faqs").EnumerateArray());
        Assert.Equal(hoursId, hours.GetProperty("id").GetString());
        Assert.Equal("8 to 6.", hours.GetProperty("answer").GetString());
        Assert.Equal("hours", hours.GetProperty("external_id").GetString());
        JsonElement settings = await (await client.GetAsync("/v1/admin/settings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://cal.com/acme/old", settings.GetProperty("booking_link").GetString());
        Assert.Equal(0.35, settings.GetProperty("confidence_threshold").GetDouble());
        Assert.Equal(9, settings.GetProperty("config_version").GetInt32());

        JsonElement versions = await (await client.GetAsync("/v1/admin/config-versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("rollback to version 4", versions.GetProperty("versions")[0].GetProperty("reason").GetString());

        // Rolling forward again is just another rollback.
        await (await client.PostJsonAsync("/v1/admin/rollback", new { version = 8 })).JsonAsync(HttpStatusCode.OK);
        JsonElement forward = await (await client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Always.", "Yes."], forward.GetProperty("faqs").EnumerateArray().Select(f => f.GetProperty("answer").GetString()).Order());
        Assert.Equal(10, forward.GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task AVersionIsShownWithItsSnapshot()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs", new { question = "Q?", answer = "A.", external_id = "q" })).JsonAsync(HttpStatusCode.Created);
        JsonElement v2 = await (await tenant.Client.GetAsync("/v1/admin/config-versions/2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("q", Assert.Single(v2.GetProperty("faqs").EnumerateArray()).GetProperty("external_id").GetString());
        Assert.Equal(JsonValueKind.Object, v2.GetProperty("settings").ValueKind);
        JsonElement v1 = await (await tenant.Client.GetAsync("/v1/admin/config-versions/1")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(v1.GetProperty("faqs").EnumerateArray());
    }

    [Fact]
    public async Task RollbackToAVersionThatDoesNotExistIsRefused()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement missing = await (await tenant.Client.PostJsonAsync("/v1/admin/rollback", new { version = 42 })).JsonAsync(HttpStatusCode.NotFound);
        Assert.Contains("config-versions", missing.GetProperty("detail").GetString());
        await (await tenant.Client.PostJsonAsync("/v1/admin/rollback", new { version = 0 })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        await (await tenant.Client.PostJsonAsync("/v1/admin/rollback", new { })).JsonAsync(HttpStatusCode.UnprocessableEntity);
    }
}

public sealed class SqliteConfigVersionsTests(SqliteApp app) : ConfigVersionsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresConfigVersionsTests(PostgresApp app) : ConfigVersionsTests(app), IClassFixture<PostgresApp>;
