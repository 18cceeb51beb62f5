using System.Net;
using System.Text;
using System.Text.Json;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Conversations;

/// <summary>approve_before_send: drafts wait for a person, who sends them as written, edited, or not at all.</summary>
public abstract class ApprovalTests(LeadlineApp app)
{
    private const string Booking = "https://cal.com/bright-smile/visit";

    private Task<TestTenant> TenantAsync(bool approve = true) =>
        SampleFaqs.TenantAsync(app, Booking, new { approve_before_send = approve });

    private static async Task<(Guid LeadId, JsonElement Draft)> DraftAsync(TestTenant tenant, string message = "Do you accept dental insurance?")
    {
        var accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = Guid.NewGuid().ToString(),
            email = $"lead{Guid.NewGuid():N}@example.com",
            first_name = "Sam",
            message,
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any());
        return (leadId, Assert.Single(lead.Outbound()));
    }

    private static Task<JsonElement> LeadAsync(TestTenant tenant, Guid leadId, Func<JsonElement, bool> done) =>
        tenant.Client.WaitForLeadAsync(leadId, done);

    private static bool Sent(JsonElement lead) => lead.Outbound().Any(m => m.GetProperty("status").GetString() == "sent");

    [Fact]
    public async Task ADraftWaitsForApprovalAndIsSentAsWritten()
    {
        TestTenant tenant = await TenantAsync();
        var (leadId, draft) = await DraftAsync(tenant);
        Assert.Equal("awaiting_approval", draft.GetProperty("status").GetString());
        Assert.Contains("Delta Dental", draft.GetProperty("body").GetString());

        // Nothing goes out while it waits.
        await Task.Delay(600);
        JsonElement waiting = await LeadAsync(tenant, leadId, _ => true);
        Assert.Equal("awaiting_approval", Assert.Single(waiting.Outbound()).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("first_reply_at").ValueKind);

        JsonElement pending = await (await tenant.Client.GetAsync("/v1/messages?status=awaiting_approval")).JsonAsync(HttpStatusCode.OK);
        JsonElement listed = Assert.Single(pending.EnumerateArray());
        Assert.Equal(draft.GetProperty("id").GetGuid(), listed.GetProperty("id").GetGuid());
        Assert.Equal("Do you accept dental insurance?", listed.GetProperty("in_reply_to_body").GetString());

        Guid id = draft.GetProperty("id").GetGuid();
        JsonElement approved = await (await tenant.Client.PostAsync($"/v1/messages/{id}/approve", null)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", approved.GetProperty("status").GetString());
        JsonElement lead = await LeadAsync(tenant, leadId, Sent);
        JsonElement sent = Assert.Single(lead.Outbound());
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(draft.GetProperty("body").GetString(), sent.GetProperty("body").GetString());
        Assert.NotEqual(JsonValueKind.Null, lead.GetProperty("first_reply_at").ValueKind);

        // A second approval is a conflict, not a second send.
        JsonElement again = await (await tenant.Client.PostAsync($"/v1/messages/{id}/approve", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("awaiting_approval", again.GetProperty("detail").GetString());
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/messages?status=awaiting_approval")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task AnEditedDraftIsCheckedAgainAndSentAsEdited()
    {
        TestTenant tenant = await TenantAsync();
        var (leadId, draft) = await DraftAsync(tenant);
        Guid id = draft.GetProperty("id").GetGuid();

        // An edit that invents a price is refused with the reason; the draft keeps waiting.
        var refused = await tenant.Client.PostJsonAsync($"/v1/messages/{id}/approve",
            new { body = $"We take insurance, and a cleaning is only $19 this week. Book: {Booking}" });
        JsonElement problem = await refused.JsonAsync(HttpStatusCode.UnprocessableEntity);
        string reason = Assert.Single(problem.GetProperty("errors").GetProperty("body").EnumerateArray()).GetString()!;
        Assert.Contains("ungrounded_number", reason);
        Assert.Contains("'19'", reason);

        // An edit without the booking link is refused too.
        JsonElement noLink = await (await tenant.Client.PostJsonAsync($"/v1/messages/{id}/approve",
            new { body = "Yes, we take most PPO plans." })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("missing_booking_link", noLink.GetProperty("errors").GetProperty("body")[0].GetString());

        // An edit may use facts from any of the tenant's FAQs, not only the one the draft cited.
        string edited = $"Hi Sam! Yes, we accept most PPO insurance plans, including Delta Dental and Cigna. Book a visit: {Booking}";
        JsonElement approved = await (await tenant.Client.PostJsonAsync($"/v1/messages/{id}/approve",
            new { body = edited, author_name = "Dana" })).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(edited, approved.GetProperty("body").GetString());
        JsonElement sent = Assert.Single((await LeadAsync(tenant, leadId, Sent)).Outbound());
        Assert.Equal(edited, sent.GetProperty("body").GetString());

        JsonElement audit = Assert.Single((await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/audit?kind=reply.approved"))
            .JsonAsync(HttpStatusCode.OK)).EnumerateArray()).GetProperty("data");
        Assert.True(audit.GetProperty("edited").GetBoolean());
        Assert.Equal(draft.GetProperty("body").GetString(), audit.GetProperty("draft").GetString());
        Assert.Equal("Dana", audit.GetProperty("by").GetString());
    }

    [Fact]
    public async Task ARejectedDraftIsNeverSent()
    {
        TestTenant tenant = await TenantAsync();
        var (leadId, draft) = await DraftAsync(tenant);
        Guid id = draft.GetProperty("id").GetGuid();
        JsonElement rejected = await (await tenant.Client.PostJsonAsync($"/v1/messages/{id}/reject", new { reason = "wrong tone" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        await (await tenant.Client.PostAsync($"/v1/messages/{id}/approve", null)).JsonAsync(HttpStatusCode.Conflict);

        await Task.Delay(600);
        JsonElement lead = await LeadAsync(tenant, leadId, _ => true);
        Assert.Equal("rejected", Assert.Single(lead.Outbound()).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("first_reply_at").ValueKind);
    }

    [Fact]
    public async Task WithoutTheSettingRepliesGoOutAtOnce()
    {
        TestTenant tenant = await TenantAsync(approve: false);
        var (leadId, _) = await DraftAsync(tenant);
        Assert.True(Sent(await LeadAsync(tenant, leadId, Sent)));
    }

    [Fact]
    public async Task BadRequestsGetClearProblems()
    {
        TestTenant tenant = await TenantAsync();
        TestTenant other = await TenantAsync();
        var (_, draft) = await DraftAsync(tenant);
        Guid id = draft.GetProperty("id").GetGuid();

        await (await other.Client.PostAsync($"/v1/messages/{id}/approve", null)).JsonAsync(HttpStatusCode.NotFound);
        await (await tenant.Client.PostAsync($"/v1/messages/{Guid.NewGuid()}/reject", null)).JsonAsync(HttpStatusCode.NotFound);
        JsonElement empty = await (await tenant.Client.PostJsonAsync($"/v1/messages/{id}/approve", new { body = "  " }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(empty.GetProperty("errors").TryGetProperty("body", out _));
        JsonElement broken = await (await tenant.Client.PostAsync($"/v1/messages/{id}/approve",
            new StringContent("{\"body\": ", Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("JSON", broken.GetProperty("detail").GetString());
        JsonElement status = await (await tenant.Client.GetAsync("/v1/messages?status=pending")).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("awaiting_approval", status.GetProperty("errors").GetProperty("status")[0].GetString());

        // The draft is still there, untouched.
        JsonElement pending = await (await tenant.Client.GetAsync("/v1/messages?status=awaiting_approval")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(pending.EnumerateArray()).GetProperty("id").GetGuid());
    }
}

public sealed class SqliteApprovalTests(SqliteApp app) : ApprovalTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresApprovalTests(PostgresApp app) : ApprovalTests(app), IClassFixture<PostgresApp>;
