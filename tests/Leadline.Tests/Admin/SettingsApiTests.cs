using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Admin;

public abstract class SettingsApiTests(LeadlineApp app)
{
    [Fact]
    public async Task SettingsComeWithTheConfigVersion()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { booking_link = "https://cal.com/acme/intro", timezone = "America/Chicago" });
        JsonElement settings = await (await tenant.Client.GetAsync("/v1/admin/settings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://cal.com/acme/intro", settings.GetProperty("booking_link").GetString());
        Assert.Equal("America/Chicago", settings.GetProperty("timezone").GetString());
        Assert.Equal(0.35, settings.GetProperty("confidence_threshold").GetDouble());
        Assert.Equal(2000, settings.GetProperty("max_email_chars").GetInt32());
        Assert.Equal(1, settings.GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task APutChangesTheFieldsItNamesAndLeavesTheOthers()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { booking_link = "https://cal.com/acme/intro", currency = "USD" });
        JsonElement updated = await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new
        {
            business_name = "Acme Plumbing",
            timezone = "Asia/Riyadh",
            languages = new[] { "en", "ar" },
            confidence_threshold = 0.5,
            services = new[] { "drain cleaning" },
            auto_reply = false,
            dedupe_window_min = 15,
            owner_email = "Owner@Acme.example",
            max_email_chars = 5000,
        })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Acme Plumbing", updated.GetProperty("business_name").GetString());
        Assert.Equal("Asia/Riyadh", updated.GetProperty("timezone").GetString());
        Assert.Equal(0.5, updated.GetProperty("confidence_threshold").GetDouble());
        Assert.False(updated.GetProperty("auto_reply").GetBoolean());
        Assert.Equal(15, updated.GetProperty("dedupe_window_min").GetInt32());
        Assert.Equal("owner@acme.example", updated.GetProperty("owner_email").GetString());
        Assert.Equal(5000, updated.GetProperty("max_email_chars").GetInt32());
        Assert.Equal("https://cal.com/acme/intro", updated.GetProperty("booking_link").GetString());
        Assert.Equal("USD", updated.GetProperty("currency").GetString());
        Assert.Equal(2, updated.GetProperty("config_version").GetInt32());

        JsonElement read = await (await tenant.Client.GetAsync("/v1/admin/settings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(updated.ToString(), read.ToString());

        JsonElement cleared = await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { booking_link = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("booking_link").ValueKind);
        Assert.Equal(3, cleared.GetProperty("config_version").GetInt32());

        JsonElement same = await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { currency = "USD" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, same.GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task InvalidSettingsAreEachNamedInA422Problem()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new
        {
            booking_link = "calendly dot com",
            timezone = "Mars/Olympus",
            default_country = "XX",
            currency = "DOLLARS",
            languages = Array.Empty<string>(),
            dedupe_window_min = -1,
            confidence_threshold = 1.5,
            owner_email = "not-an-email",
            business_name = "",
            max_email_chars = 100,
        });
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement errors = problem.GetProperty("errors");
        foreach (string field in new[] { "booking_link", "timezone", "default_country", "currency", "languages", "dedupe_window_min", "confidence_threshold", "owner_email", "business_name", "max_email_chars" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Contains("Mars/Olympus", problem.GetProperty("detail").GetString());
        JsonElement unchanged = await (await tenant.Client.GetAsync("/v1/admin/settings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, unchanged.GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task ToneChangesAreValidatedAndVersioned()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement tone = await (await tenant.Client.GetAsync("/v1/admin/tone")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("friendly", tone.GetProperty("style").GetString());

        JsonElement problem = await (await tenant.Client.PutAsJsonAsync("/v1/admin/tone", new { style = "sarcastic" })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("formal", problem.GetProperty("errors").GetProperty("style")[0].GetString());

        JsonElement updated = await (await tenant.Client.PutAsJsonAsync("/v1/admin/tone", new { style = "formal", signature = "Dana at Acme" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("formal", updated.GetProperty("style").GetString());
        Assert.Equal("Dana at Acme", updated.GetProperty("signature").GetString());
        Assert.Equal("friendly and concise", updated.GetProperty("voice").GetString());
        Assert.Equal(2, updated.GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task ATemplateIsSavedOnlyWhenItCompilesAndCarriesTheBookingLink()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement defaults = await (await tenant.Client.GetAsync("/v1/admin/templates")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(defaults.GetProperty("templates").EnumerateArray(), t => t.GetProperty("name").GetString() == "reply.ar" && !t.GetProperty("custom").GetBoolean());

        JsonElement broken = await (await tenant.Client.PostJsonAsync("/v1/admin/templates", new { name = "reply.en", source = "{{#if answer}}{{answer}} {{cta}}" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("compile", broken.GetProperty("errors").GetProperty("source")[0].GetString());

        JsonElement noLink = await (await tenant.Client.PostJsonAsync("/v1/admin/templates", new { name = "reply.en", source = "{{greeting}} {{answer}}" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("booking link", noLink.GetProperty("errors").GetProperty("source")[0].GetString());

        await (await tenant.Client.PostJsonAsync("/v1/admin/templates", new { name = "signup.en", source = "{{cta}}" })).JsonAsync(HttpStatusCode.UnprocessableEntity);

        JsonElement saved = await (await tenant.Client.PostJsonAsync("/v1/admin/templates", new { name = "reply.en", source = "{{answer}}\n\n{{cta}}" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, saved.GetProperty("config_version").GetInt32());
        JsonElement list = await (await tenant.Client.GetAsync("/v1/admin/templates")).JsonAsync(HttpStatusCode.OK);
        JsonElement mine = list.GetProperty("templates").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "reply.en");
        Assert.True(mine.GetProperty("custom").GetBoolean());
        Assert.Equal("{{answer}}\n\n{{cta}}", mine.GetProperty("source").GetString());

        JsonElement removed = await (await tenant.Client.DeleteAsync("/v1/admin/templates/reply.en")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, removed.GetProperty("config_version").GetInt32());
        await (await tenant.Client.DeleteAsync("/v1/admin/templates/reply.en")).JsonAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteSettingsApiTests(SqliteApp app) : SettingsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresSettingsApiTests(PostgresApp app) : SettingsApiTests(app), IClassFixture<PostgresApp>;
