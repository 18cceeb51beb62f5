using System.Net;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Replies;

/// <summary>Qualification, lifecycle, hand-off and alerts as a lead's conversation unfolds, over HTTP.</summary>
public abstract class QualificationFlowTests(LeadlineApp app)
{
    private const string Booking = "https://cal.com/acme/visit";

    private static object Tenant(string currency = "USD") => new
    {
        booking_link = Booking,
        currency,
        timezone = "America/Chicago",
        owner_email = "owner@example.com",
    };

    private static async Task<JsonElement> SendAsync(TestTenant tenant, string email, string message)
    {
        var accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = Guid.NewGuid().ToString(),
            email,
            first_name = "Sam",
            message,
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid messageId = accepted.GetProperty("message_id").GetGuid();
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        // Done when the bot answered this message, or decided not to (an escalated conversation).
        return await tenant.Client.WaitForLeadAsync(leadId, l =>
            l.Outbound().Count() >= l.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in")
            || l.GetProperty("escalated").GetBoolean() && l.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("id").GetGuid() == messageId));
    }

    /// <summary>The reasons of the owner alerts queued for the tenant (new_lead, hot_lead, escalation).</summary>
    private async Task<List<string>> AlertsAsync(Guid tenantId)
    {
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT payload FROM jobs WHERE kind = 'owner-alert' AND tenant_id = @tenantId", new { tenantId });
        return rows.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("reason").GetString()!).ToList();
    }

    [Fact]
    public async Task AnEmergencyMakesTheLeadHotQualifiedAndAlertsTheOwnerOnce()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        string email = $"hot{Guid.NewGuid():N}@example.com";
        JsonElement lead = await SendAsync(tenant, email, "A pipe burst and the basement is flooding, can someone come right now?");
        Assert.Equal("HOT", lead.GetProperty("score").GetString());
        Assert.Equal("QUALIFIED", lead.GetProperty("state").GetString());
        Assert.Equal("high", lead.GetProperty("qualification").GetProperty("urgency").GetString());
        Assert.Equal("asap", lead.GetProperty("qualification").GetProperty("timeline").GetString());
        Assert.Equal("en", lead.GetProperty("qualification").GetProperty("language").GetString());

        await SendAsync(tenant, email, "Also the water heater is making noise, same visit if possible.");
        var alerts = await AlertsAsync(tenant.Id);
        Assert.Single(alerts, a => a == "hot_lead");
        Assert.Single(alerts, a => a == "new_lead");
    }

    [Fact]
    public async Task FactsFromEarlierTurnsAreKeptAndLaterOnesAdded()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        string email = $"merge{Guid.NewGuid():N}@example.com";
        JsonElement first = await SendAsync(tenant, email, "Could you give me a quote for a new patio? My budget is around $12k.");
        Assert.Equal("QUALIFYING", first.GetProperty("state").GetString());
        Assert.Equal("WARM", first.GetProperty("score").GetString());
        JsonElement budget = first.GetProperty("qualification").GetProperty("budget");
        Assert.Equal(12000m, budget.GetProperty("min").GetDecimal());
        Assert.Equal(12000m, budget.GetProperty("max").GetDecimal());
        Assert.Equal("USD", budget.GetProperty("currency").GetString());

        JsonElement second = await SendAsync(tenant, email, "We'd like it done sometime next month.");
        Assert.Equal("1_3_months", second.GetProperty("qualification").GetProperty("timeline").GetString());
        Assert.Equal("medium", second.GetProperty("qualification").GetProperty("urgency").GetString());
        Assert.Equal(12000m, second.GetProperty("qualification").GetProperty("budget").GetProperty("max").GetDecimal());
        Assert.Equal(2, second.Outbound().Count());
    }

    [Fact]
    public async Task AskingForAPersonHandsTheConversationOverWithOneAcknowledgement()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        string email = $"human{Guid.NewGuid():N}@example.com";
        JsonElement lead = await SendAsync(tenant, email, "I want to talk to a real person, not a bot.");
        Assert.True(lead.GetProperty("escalated").GetBoolean());
        JsonElement ack = Assert.Single(lead.Outbound());
        string body = ack.GetProperty("body").GetString()!;
        Assert.Contains("follow up with you personally", body);
        Assert.Contains(Booking, body);
        Assert.Empty(ack.GetProperty("faq_ids").EnumerateArray());

        JsonElement after = await SendAsync(tenant, email, "Hello? Is anyone there?");
        Assert.Single(after.Outbound());
        Assert.Contains("escalation", await AlertsAsync(tenant.Id));
    }

    [Fact]
    public async Task AQuestionAskedWithTheRequestForAPersonIsAnsweredInTheAcknowledgement()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", Knowledge.SampleFaqs.Items)).JsonAsync(HttpStatusCode.OK);
        JsonElement lead = await SendAsync(tenant, $"q{Guid.NewGuid():N}@example.com",
            "Can I talk to a real person? Also, do you accept dental insurance?");
        Assert.True(lead.GetProperty("escalated").GetBoolean());
        JsonElement ack = Assert.Single(lead.Outbound());
        string body = ack.GetProperty("body").GetString()!;
        Assert.Contains("follow up with you personally", body);
        Assert.Contains("we accept most PPO insurance plans", body);
        Assert.Contains(Booking, body);
        Assert.Equal("insurance", Assert.Single(ack.GetProperty("faq_ids").EnumerateArray()).GetString());

        // An upset lead gets the acknowledgement alone, even when a FAQ matches what they wrote.
        JsonElement complaint = await SendAsync(tenant, $"c{Guid.NewGuid():N}@example.com",
            "This is unacceptable, your insurance billing is a scam and I want to file a complaint.");
        Assert.True(complaint.GetProperty("escalated").GetBoolean());
        JsonElement reply = Assert.Single(complaint.Outbound());
        Assert.DoesNotContain("PPO", reply.GetProperty("body").GetString()!);
        Assert.Empty(reply.GetProperty("faq_ids").EnumerateArray());
    }

    [Fact]
    public async Task AComplaintIsEscalatedAndScoredCold()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        JsonElement lead = await SendAsync(tenant, $"c{Guid.NewGuid():N}@example.com", "You double charged my card last week. I want a refund or I'm calling my lawyer.");
        Assert.True(lead.GetProperty("escalated").GetBoolean());
        Assert.Equal("COLD", lead.GetProperty("score").GetString());
    }

    [Fact]
    public async Task ABudgetOverTheHighValueThresholdGoesToAPerson()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        await (await tenant.Client.PutAsync("/v1/admin/settings", new StringContent("""{"high_value_threshold": 50000}""", System.Text.Encoding.UTF8, "application/json")))
            .JsonAsync(HttpStatusCode.OK);
        JsonElement small = await SendAsync(tenant, $"s{Guid.NewGuid():N}@example.com", "Looking to redo the kitchen, budget up to $20,000.");
        Assert.False(small.GetProperty("escalated").GetBoolean());
        JsonElement big = await SendAsync(tenant, $"b{Guid.NewGuid():N}@example.com", "We want a full renovation of the house, budget between $80k and $120k.");
        Assert.True(big.GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public async Task ArabicLeadsAreQualifiedAndAnsweredInArabic()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant("SAR"));
        JsonElement lead = await SendAsync(tenant, $"ar{Guid.NewGuid():N}@example.com", "أبغى أكلم موظف لو سمحت");
        Assert.Equal("ar", lead.GetProperty("qualification").GetProperty("language").GetString());
        Assert.True(lead.GetProperty("escalated").GetBoolean());
        Assert.Contains("فريقنا", Assert.Single(lead.Outbound()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task AScoreSetByAPersonSurvivesTheNextTurn()
    {
        TestTenant tenant = await app.CreateTenantAsync(Tenant());
        string email = $"manual{Guid.NewGuid():N}@example.com";
        JsonElement lead = await SendAsync(tenant, email, "Just browsing, what do you do?");
        Guid id = lead.GetProperty("id").GetGuid();
        await (await tenant.Client.PatchAsync($"/v1/leads/{id}/score", new StringContent("""{"score":"HOT"}""", System.Text.Encoding.UTF8, "application/json")))
            .JsonAsync(HttpStatusCode.OK);
        JsonElement after = await SendAsync(tenant, email, "Thanks, I'll think about it.");
        Assert.Equal("HOT", after.GetProperty("score").GetString());
    }
}

public sealed class SqliteQualificationFlowTests(SqliteApp app) : QualificationFlowTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresQualificationFlowTests(PostgresApp app) : QualificationFlowTests(app), IClassFixture<PostgresApp>;
