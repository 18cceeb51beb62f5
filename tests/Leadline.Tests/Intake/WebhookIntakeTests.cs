using System.Net;
using System.Text;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Intake;

public abstract class WebhookIntakeTests(LeadlineApp app)
{
    private static object Lead(string eventId, string message = "Curious about price and timeline.", string email = "prospect@example.com") => new
    {
        event_id = eventId,
        email,
        first_name = "Jordan",
        subject = "Do you integrate with HubSpot?",
        message,
    };

    [Fact]
    public async Task SeedQuickStartLeadIsAcceptedAndAnswered()
    {
        using HttpClient op = app.Operator();
        var response = await op.PostJsonAsync("/v1/intake/webhook", Lead("evt_" + Guid.NewGuid().ToString("N"), email: $"p{Guid.NewGuid():N}@example.com"));
        JsonElement body = await response.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        Guid leadId = body.GetProperty("lead_id").GetGuid();
        Assert.NotEqual(Guid.Empty, body.GetProperty("conversation_id").GetGuid());
        Assert.NotEqual(Guid.Empty, body.GetProperty("message_id").GetGuid());

        JsonElement lead = await op.WaitForLeadAsync(leadId, l => l.GetProperty("speed_to_lead_ms").ValueKind == JsonValueKind.Number);
        Assert.Equal(JsonValueKind.Number, lead.GetProperty("speed_to_lead_ms").ValueKind);
        var inbound = lead.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal("Curious about price and timeline.", inbound.GetProperty("body").GetString());
        var reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.GetProperty("status").GetString());
        Assert.Equal("Re: Do you integrate with HubSpot?", reply.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task SameEventSentTwentyTimesConcurrentlyMakesOneLeadAndOneReply()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        object lead = Lead("evt_storm");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tenant.Client.PostJsonAsync("/v1/intake/webhook", lead)));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync(HttpStatusCode.Accepted)));

        Assert.Single(bodies, b => b.GetProperty("status").GetString() == "accepted");
        Assert.Equal(19, bodies.Count(b => b.GetProperty("status").GetString() == "duplicate"));
        Assert.Single(bodies.Select(b => b.GetProperty("lead_id").GetGuid()).Distinct());
        Assert.Single(bodies.Select(b => b.GetProperty("message_id").GetGuid()).Distinct());
        Assert.Single(bodies.Select(b => b.GetProperty("conversation_id").GetGuid()).Distinct());

        Guid leadId = bodies[0].GetProperty("lead_id").GetGuid();
        JsonElement view = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        await Task.Delay(300);
        view = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(view.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "in");
        Assert.Single(view.Outbound());
    }

    [Fact]
    public async Task SameBodyFromSameContactInsideTheWindowIsSuppressed()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var first = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("evt_a", "Need a quote for a new roof!"))).JsonAsync(HttpStatusCode.Accepted);
        var second = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("evt_b", "  need a QUOTE for a new roof "))).JsonAsync(HttpStatusCode.Accepted);
        var third = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("evt_c", "Also, do you do gutters?"))).JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("accepted", first.GetProperty("status").GetString());
        Assert.Equal("suppressed", second.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("message_id").GetGuid(), second.GetProperty("message_id").GetGuid());
        Assert.Equal("accepted", third.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("lead_id").GetGuid(), third.GetProperty("lead_id").GetGuid());

        string metrics = await (await app.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains($"dedupe_suppressed_total{{channel=\"email\",tenant=\"{tenant.Slug}\"}} 1", metrics);
    }

    [Fact]
    public async Task MissingFieldsAreListedInAProblem()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostJsonAsync("/v1/intake/webhook", new { first_name = "Jordan", email = "not-an-email" });
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("event_id", out _));
        Assert.True(errors.TryGetProperty("message", out _));
        Assert.Contains("not-an-email", errors.GetProperty("email")[0].GetString());
        Assert.Contains("event_id", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task LeadWithNeitherEmailNorPhoneIsRejected()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostJsonAsync("/v1/intake/webhook", new { event_id = "e1", message = "hello" });
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("phone number", problem.GetProperty("errors").GetProperty("email")[0].GetString());
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestWithADetail()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostAsync("/v1/intake/webhook", new StringContent("{\"event_id\": \"x\", ", Encoding.UTF8, "application/json"));
        JsonElement problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongContentTypeIs415()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostAsync("/v1/intake/webhook", new StringContent("event_id=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OversizedBodyIs413()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostJsonAsync("/v1/intake/webhook", Lead("big", new string('a', 70_000)));
        await response.JsonAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task NoCredentialsIs401()
    {
        var response = await app.CreateClient().PostJsonAsync("/v1/intake/webhook", Lead("e"));
        JsonElement problem = await response.JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Authorization", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PhoneNumbersAreNormalisedWithTheTenantsCountryAndEmailsLowerCased()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { default_country = "SA" });
        var body = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "e-phone",
            phone = "050 123 4567",
            email = "Ahmed@Example.COM",
            message = "أريد شقة في الدمام",
            channel = "sms",
        })).JsonAsync(HttpStatusCode.Accepted);
        JsonElement lead = await (await tenant.Client.GetAsync($"/v1/leads/{body.GetProperty("lead_id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("+966501234567", lead.GetProperty("phone").GetString());
        Assert.Equal("ahmed@example.com", lead.GetProperty("email").GetString());
        Assert.Equal("sms", lead.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task AnotherTenantsLeadIsNotFound()
    {
        TestTenant owner = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        var body = await (await owner.Client.PostJsonAsync("/v1/intake/webhook", Lead("e-own"))).JsonAsync(HttpStatusCode.Accepted);
        var response = await other.Client.GetAsync($"/v1/leads/{body.GetProperty("lead_id").GetGuid()}");
        await response.JsonAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteWebhookIntakeTests(SqliteApp app) : WebhookIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresWebhookIntakeTests(PostgresApp app) : WebhookIntakeTests(app), IClassFixture<PostgresApp>;
