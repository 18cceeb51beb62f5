using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Voice;

/// <summary><c>POST /webhooks/missed-call</c>: missed calls from phone systems other than Twilio, as JSON, on both databases.</summary>
public abstract class MissedCallApiTests<TApp>(MissedCallFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private const string Booking = "https://cal.com/harbor-plumbing/estimate";

    private LeadlineApp App => fixture.App;

    private Task<TestTenant> TenantAsync() =>
        App.CreateTenantAsync(new { business_name = "Harbor Plumbing", booking_link = Booking, timezone = "America/Chicago" });

    private static string NewCallId() => "pbx-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ACallIsAcceptedAndTextedThenDuplicateThenSuppressed()
    {
        TestTenant tenant = await TenantAsync();
        string caller = TextLeads.NewNumber();
        string callId = NewCallId();
        var call = new { call_id = callId, from = caller, to = "+13125550199", called_at = fixture.Clock.GetUtcNow().AddSeconds(-5), caller_name = "Dana Reyes" };

        HttpResponseMessage first = await tenant.Client.PostJsonAsync("/webhooks/missed-call", call);
        JsonElement accepted = await first.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        Assert.Equal($"/v1/leads/{leadId}", first.Headers.Location?.OriginalString);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"));
        Assert.Equal(("missed_call", "Dana", caller), (lead.GetProperty("source").GetString(), lead.GetProperty("first_name").GetString(), lead.GetProperty("phone").GetString()));
        Assert.Equal(accepted.GetProperty("conversation_id").GetGuid(), lead.GetProperty("conversation_id").GetGuid());
        string text = Assert.Single(fixture.Twilio.RequestsTo(caller)).Field("Body")!;
        Assert.StartsWith("Hi Dana,", text);
        Assert.Contains("Sorry we missed your call to Harbor Plumbing", text);
        Assert.Contains(Booking, text);

        JsonElement again = await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", call)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        Assert.Equal(leadId, again.GetProperty("lead_id").GetGuid());
        Assert.Equal(accepted.GetProperty("conversation_id").GetGuid(), again.GetProperty("conversation_id").GetGuid());

        JsonElement later = await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", call with { call_id = NewCallId() }))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("suppressed", later.GetProperty("status").GetString());
        Assert.Equal(leadId, later.GetProperty("lead_id").GetGuid());

        lead = await tenant.Client.WaitForLeadAsync(leadId, _ => true);
        Assert.Single(lead.Outbound());
        Assert.Single(fixture.Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task InvalidFieldsAre422ListingEachField()
    {
        TestTenant tenant = await TenantAsync();
        HttpResponseMessage empty = await tenant.Client.PostJsonAsync("/webhooks/missed-call", new { to = "+13125550199" });
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        JsonElement errors = (await empty.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        Assert.Equal(["call_id", "from"], errors.EnumerateObject().Select(e => e.Name).Order());

        JsonElement problem = await (await tenant.Client.PostJsonAsync("/webhooks/missed-call",
            new { call_id = NewCallId(), from = "call me maybe", called_at = "yesterday evening" })).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["called_at", "from"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("international format", problem.GetProperty("detail").GetString());

        JsonElement leads = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(leads.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task WithoutAKeyIs401()
    {
        HttpResponseMessage response = await App.CreateClient().PostJsonAsync("/webhooks/missed-call", new { call_id = NewCallId(), from = TextLeads.NewNumber() });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await response.JsonAsync(HttpStatusCode.Unauthorized);

        using HttpClient wrong = App.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        await (await wrong.PostJsonAsync("/webhooks/missed-call", new { call_id = NewCallId(), from = TextLeads.NewNumber() }))
            .JsonAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheOperatorTokenActsOnTheDefaultTenant()
    {
        using HttpClient op = App.Operator();
        string caller = TextLeads.NewNumber();
        JsonElement accepted = await (await op.PostJsonAsync("/webhooks/missed-call", new { call_id = NewCallId(), from = caller }))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        JsonElement lead = await op.WaitForLeadAsync(accepted.GetProperty("lead_id").GetGuid(), l => l.Outbound().Any(m => m.Status() == "sent"));
        Assert.Equal(caller, lead.GetProperty("phone").GetString());
        Assert.Single(fixture.Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task WithAutoReplyOffTheCallerBecomesALeadButIsNotTexted()
    {
        TestTenant tenant = await TenantAsync();
        await (await tenant.Client.PutAsync("/v1/admin/settings", new StringContent("{\"auto_reply\": false}", System.Text.Encoding.UTF8, "application/json")))
            .JsonAsync(HttpStatusCode.OK);
        string caller = TextLeads.NewNumber();
        JsonElement accepted = await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", new { call_id = NewCallId(), from = caller }))
            .JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();

        // Nothing was queued with the lead, so nothing can be sent later either.
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, _ => true);
        Assert.Empty(lead.Outbound());
        JsonElement trail = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/audit?kind=missed_call.auto_reply_off")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, trail.GetArrayLength());
        Assert.Empty(fixture.Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task APausedTenantTakesNoCalls()
    {
        TestTenant tenant = await TenantAsync();
        using HttpClient op = App.Operator();
        (await op.PostAsync($"/v1/tenants/{tenant.Id}/pause", null)).EnsureSuccessStatusCode();
        string caller = TextLeads.NewNumber();
        await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", new { call_id = NewCallId(), from = caller }))
            .JsonAsync(HttpStatusCode.Locked);
        Assert.Empty(fixture.Twilio.RequestsTo(caller));
    }
}

public sealed class SqliteMissedCallApiTests(MissedCallFixture<SqliteApp> fixture)
    : MissedCallApiTests<SqliteApp>(fixture), IClassFixture<MissedCallFixture<SqliteApp>>;

public sealed class PostgresMissedCallApiTests(MissedCallFixture<PostgresApp> fixture)
    : MissedCallApiTests<PostgresApp>(fixture), IClassFixture<MissedCallFixture<PostgresApp>>;
