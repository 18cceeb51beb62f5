using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Intake;

/// <summary>Numbers read in the tenant's country, stored in E.164, and the lead's time zone shown on the lead.</summary>
public abstract class PhoneIntakeTests(LeadlineApp app)
{
    private static async Task<JsonElement> LeadAsync(TestTenant tenant, object body)
    {
        JsonElement accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", body)).JsonAsync(HttpStatusCode.Accepted);
        return await (await tenant.Client.GetAsync($"/v1/leads/{accepted.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
    }

    private static object Text(string phone) =>
        new { event_id = Guid.NewGuid().ToString(), phone, channel = "sms", message = "Do you install water heaters?" };

    [Theory]
    [InlineData("RU")]
    [InlineData("NG")]
    [InlineData("BR")]
    [InlineData("jp")]
    public async Task ATenantMayNameAnyCountryLibphonenumberKnows(string country)
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = country });
        JsonElement settings = await (await tenant.Client.GetAsync("/v1/admin/settings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(country.ToUpperInvariant(), settings.GetProperty("default_country").GetString());
    }

    [Fact]
    public async Task AnUnknownCountryIsRefusedWithAMessageThatSaysWhatToGive()
    {
        using HttpClient op = app.Operator();
        HttpResponseMessage created = await op.PostJsonAsync("/v1/tenants", new { name = "Nowhere", slug = "xx-" + Guid.NewGuid().ToString("N")[..8], default_country = "XX" });
        JsonElement problem = await created.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", created.Content.Headers.ContentType?.MediaType);
        string message = problem.GetProperty("errors").GetProperty("default_country")[0].GetString()!;
        Assert.Contains("'XX'", message);
        Assert.Contains("ISO 3166 alpha-2", message);

        TestTenant tenant = await app.CreateTenantAsync();
        JsonElement put = await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { default_country = "Russia" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("'Russia'", put.GetProperty("errors").GetProperty("default_country")[0].GetString());
    }

    [Fact]
    public async Task ARussianTenantReadsRussianNumbersAndItsOwnerPhone()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "RU", timezone = "Europe/Moscow" });
        JsonElement lead = await LeadAsync(tenant, Text("8 (495) 123-45-67"));
        Assert.Equal("+74951234567", lead.GetProperty("phone").GetString());
        Assert.Equal("Europe/Moscow", lead.GetProperty("timezone").GetString());

        JsonElement settings = await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { owner_phone = "8 916 123-45-67" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("+79161234567", settings.GetProperty("owner_phone").GetString());
    }

    [Fact]
    public async Task ASaudiNumberWithItsCountryCodeButNoPlusIsStoredOnce()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "SA", timezone = "Asia/Riyadh" });
        JsonElement lead = await LeadAsync(tenant, Text("966501234567"));
        Assert.Equal("+966501234567", lead.GetProperty("phone").GetString());
        Assert.Equal("Asia/Riyadh", lead.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task ABritishNumberWrittenWithItsTrunkZeroLosesTheZero()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "US", timezone = "America/New_York" });
        JsonElement lead = await LeadAsync(tenant, Text("+44 (0)20 7946 0958"));
        Assert.Equal("+442079460958", lead.GetProperty("phone").GetString());
        Assert.Equal("Europe/London", lead.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task TheLeadShowsTheZoneOfItsNumberOrElseTheTenants()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "US", timezone = "America/New_York" });
        Assert.Equal("America/Los_Angeles", (await LeadAsync(tenant, Text("(213) 978-0600"))).GetProperty("timezone").GetString());
        Assert.Equal("America/Toronto", (await LeadAsync(tenant, Text("416 338 0338"))).GetProperty("timezone").GetString());
        // Toll-free numbers span every US zone; an e-mail-only lead has no number at all.
        Assert.Equal("America/New_York", (await LeadAsync(tenant, Text("1-800-234-5678"))).GetProperty("timezone").GetString());
        JsonElement mailOnly = await LeadAsync(tenant, new { event_id = Guid.NewGuid().ToString(), email = "sam@example.com", message = "Quote?" });
        Assert.Equal("America/New_York", mailOnly.GetProperty("timezone").GetString());

        // The tenant's zone is read when the lead is, so moving the business moves such leads with it.
        await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { timezone = "America/Chicago" })).JsonAsync(HttpStatusCode.OK);
        JsonElement moved = await (await tenant.Client.GetAsync($"/v1/leads/{mailOnly.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("America/Chicago", moved.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task ALeadStoredBeforeTheZoneWasKeptGetsTheZoneOfItsNumber()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "US", timezone = "America/New_York" });
        JsonElement lead = await LeadAsync(tenant, Text("303 866 2471"));
        Guid id = lead.GetProperty("id").GetGuid();
        var db = app.Services.GetRequiredService<Db>();
        await using (var connection = await db.OpenAsync())
        {
            Assert.Equal("America/Denver", await connection.ExecuteScalarAsync<string>("SELECT timezone FROM leads WHERE id = @id", new { id }));
            await connection.ExecuteAsync("UPDATE leads SET timezone = NULL WHERE id = @id", new { id });
        }
        JsonElement old = await (await tenant.Client.GetAsync($"/v1/leads/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("America/Denver", old.GetProperty("timezone").GetString());
    }

    [Theory]
    [InlineData("555-1234")]
    [InlineData("+1 212 736")]
    [InlineData("+44 20 79")]
    public async Task AnImpossibleNumberIsA422NamingThePhoneField(string phone)
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "US" });
        HttpResponseMessage response = await tenant.Client.PostJsonAsync("/v1/intake/webhook", Text(phone));
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(phone, problem.GetProperty("errors").GetProperty("phone")[0].GetString());
    }
}

public sealed class SqlitePhoneIntakeTests(SqliteApp app) : PhoneIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPhoneIntakeTests(PostgresApp app) : PhoneIntakeTests(app), IClassFixture<PostgresApp>;
