using System.Net;
using System.Text;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Intake;

public abstract class WebFormIntakeTests(LeadlineApp app)
{
    private static readonly object s_seedForm = new
    {
        name = "Ahmed Saleh",
        phone = "+966 50 123 4567",
        email = "ahmed@example.com",
        message = "I am looking to buy an apartment in Dammam, budget around 800,000 SAR",
        source = "website",
    };

    [Fact]
    public async Task TheSeedWebFormIsAcceptedWithAnApiKeyHeader()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "SA" });
        using HttpClient client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", tenant.ApiKey);
        var body = await (await client.PostJsonAsync("/webhooks/web-form", s_seedForm)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("accepted", body.GetProperty("status").GetString());

        JsonElement lead = await client.WaitForLeadAsync(body.GetProperty("lead_id").GetGuid(), l => l.Outbound().Any());
        Assert.Equal("Ahmed", lead.GetProperty("first_name").GetString());
        Assert.Equal("Saleh", lead.GetProperty("last_name").GetString());
        Assert.Equal("+966501234567", lead.GetProperty("phone").GetString());
        Assert.Equal("web_form", lead.GetProperty("channel").GetString());
        Assert.Equal("website", lead.GetProperty("source").GetString());
        Assert.Single(lead.Outbound());
    }

    [Fact]
    public async Task TheIdempotencyKeyHeaderMakesRetriesDuplicates()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        async Task<JsonElement> SendAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/web-form")
            {
                Content = new StringContent(JsonSerializer.Serialize(s_seedForm), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "form-42");
            return await (await tenant.Client.SendAsync(request)).JsonAsync(HttpStatusCode.Accepted);
        }

        JsonElement first = await SendAsync();
        JsonElement again = await SendAsync();
        Assert.Equal("accepted", first.GetProperty("status").GetString());
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("lead_id").GetGuid(), again.GetProperty("lead_id").GetGuid());
        Assert.Equal(first.GetProperty("message_id").GetGuid(), again.GetProperty("message_id").GetGuid());
    }

    [Fact]
    public async Task ABadPhoneNumberIsNamed()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var problem = await (await tenant.Client.PostJsonAsync("/webhooks/web-form", new { name = "A", phone = "call me maybe", message = "hi" }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("call me maybe", problem.GetProperty("errors").GetProperty("phone")[0].GetString());
    }
}

public sealed class SqliteWebFormIntakeTests(SqliteApp app) : WebFormIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresWebFormIntakeTests(PostgresApp app) : WebFormIntakeTests(app), IClassFixture<PostgresApp>;
