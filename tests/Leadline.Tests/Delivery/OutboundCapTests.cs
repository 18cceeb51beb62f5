using System.Net;
using System.Text.Json;
using Leadline.Tests.Alerts;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>
/// hourly_outbound_cap: once a tenant has sent its cap in a clock hour, replies stay queued with the reason, the
/// operator hears once, and sending resumes by hand (POST /v1/tenants/{id}/resume-sending) or at the next hour.
/// </summary>
public abstract class OutboundCapTests(AlertsFixture fixture)
{
    private LeadlineApp App => fixture.App;

    private sealed record Reply(Guid LeadId, string Phone, string? Status, string? LastError);

    /// <summary>A tenant in UTC with the given cap, at the start of a fresh hour, so the test has the hour to itself.</summary>
    private async Task<TestTenant> TenantAsync(int cap)
    {
        fixture.MoveToNextHour(TimeZoneInfo.Utc);
        TestTenant tenant = await App.CreateTenantAsync(new { timezone = "UTC" });
        await tenant.SetAsync(new { hourly_outbound_cap = cap });
        return tenant;
    }

    private static async Task<List<(Guid LeadId, string Phone)>> LeadsAsync(TestTenant tenant, int count, bool atOnce = false)
    {
        string[] phones = [.. Enumerable.Range(0, count).Select(_ => TextLeads.NewNumber())];
        if (atOnce)
        {
            Guid[] ids = await Task.WhenAll(phones.Select(p => TextLeads.PostAsync(tenant.Client, p, message: "Do you fit kitchens?")));
            return [.. ids.Zip(phones)];
        }
        var leads = new List<(Guid, string)>();
        foreach (string phone in phones)
        {
            leads.Add((await TextLeads.PostAsync(tenant.Client, phone, message: "Do you fit kitchens?"), phone));
        }
        return leads;
    }

    private static async Task<List<Reply>> RepliesAsync(TestTenant tenant, List<(Guid LeadId, string Phone)> leads)
    {
        var replies = new List<Reply>();
        foreach (var (leadId, phone) in leads)
        {
            JsonElement lead = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
            JsonElement? reply = lead.Outbound().Select(m => (JsonElement?)m).FirstOrDefault();
            replies.Add(new Reply(leadId, phone, reply?.Status(),
                reply?.GetProperty("last_error") is { ValueKind: JsonValueKind.String } error ? error.GetString() : null));
        }
        return replies;
    }

    private static bool Held(Reply r) => r.Status == "queued" && r.LastError?.StartsWith("hourly_outbound_cap:", StringComparison.Ordinal) == true;

    /// <summary>Waits until every lead's reply is sent or held by the cap, and returns them.</summary>
    private static async Task<List<Reply>> SettledAsync(TestTenant tenant, List<(Guid LeadId, string Phone)> leads, int sent)
    {
        List<Reply> replies = [];
        Assert.True(await AlertSteps.EventuallyAsync(async () =>
        {
            replies = await RepliesAsync(tenant, leads);
            return replies.Count(r => r.Status == "sent") == sent && replies.Count(r => r.Status == "sent" || Held(r)) == leads.Count;
        }, 30_000), $"the replies did not settle as {sent} sent and the rest held: {string.Join(", ", replies.Select(r => $"{r.Status} {r.LastError}"))}");
        return replies;
    }

    private List<SmtpDelivery> OperatorAlerts(TestTenant tenant) =>
        [.. fixture.Smtp.AcceptedFor(AlertsFixture.Operator).Where(d => d.Mail.Decoded("Subject")?.StartsWith("Test " + tenant.Slug + ":", StringComparison.Ordinal) == true)];

    private int TextsTo(List<(Guid LeadId, string Phone)> leads) => leads.Sum(l => fixture.Twilio.RequestsTo(l.Phone).Count);

    private async Task<JsonElement> SendingAsync(TestTenant tenant) =>
        (await (await App.Operator().GetAsync($"/v1/tenants/{tenant.Id}/usage")).JsonAsync(HttpStatusCode.OK)).GetProperty("sending");

    [Fact]
    public async Task AtTheCapRepliesWaitWithTheReasonTheOperatorHearsOnceAndResumingSendsTheRest()
    {
        TestTenant tenant = await TenantAsync(cap: 3);
        List<(Guid LeadId, string Phone)> leads = await LeadsAsync(tenant, 5);

        List<Reply> replies = await SettledAsync(tenant, leads, sent: 3);
        Assert.Equal(2, replies.Count(Held));
        Assert.Contains($"POST /v1/tenants/{tenant.Id}/resume-sending", replies.First(Held).LastError);
        Assert.Equal(3, TextsTo(leads));

        Assert.True(await EmailLeads.EventuallyAsync(() => OperatorAlerts(tenant).Count > 0), "the operator was not alerted");
        MailText alert = Assert.Single(OperatorAlerts(tenant)).Mail;
        Assert.Contains($"/v1/tenants/{tenant.Id}/resume-sending", alert.Body);
        JsonElement sending = await SendingAsync(tenant);
        Assert.Equal(3, sending.GetProperty("sent_this_hour").GetInt64());
        Assert.Equal(3, sending.GetProperty("hourly_outbound_cap").GetInt32());
        Assert.True(sending.GetProperty("paused").GetBoolean());
        Assert.Equal(2, sending.GetProperty("held").GetInt64());
        Assert.Equal(1, await AlertSteps.MetricAsync(App, "outbound_cap_reached_total", $"{{tenant=\"{tenant.Slug}\"}}"));

        JsonElement resumed = await (await App.Operator().PostAsync($"/v1/tenants/{tenant.Id}/resume-sending", null)).JsonAsync(HttpStatusCode.OK);
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.True(resumed.GetProperty("cap_lifted").GetBoolean());
        await SettledAsync(tenant, leads, sent: 5);
        Assert.Equal(5, TextsTo(leads));
        sending = await SendingAsync(tenant);
        Assert.Equal(5, sending.GetProperty("sent_this_hour").GetInt64());
        Assert.Equal(0, sending.GetProperty("held").GetInt64());
        await Task.Delay(500);
        Assert.Single(OperatorAlerts(tenant));
    }

    [Fact]
    public async Task TheNextHourSendsWhatTheCapHeldWithoutAResume()
    {
        TestTenant tenant = await TenantAsync(cap: 2);
        List<(Guid LeadId, string Phone)> leads = await LeadsAsync(tenant, 3);
        await SettledAsync(tenant, leads, sent: 2);
        Assert.True(await EmailLeads.EventuallyAsync(() => OperatorAlerts(tenant).Count > 0), "the operator was not alerted");

        fixture.MoveToNextHour(TimeZoneInfo.Utc);
        await SettledAsync(tenant, leads, sent: 3);
        Assert.Equal(3, TextsTo(leads));
        JsonElement sending = await SendingAsync(tenant);
        Assert.Equal(1, sending.GetProperty("sent_this_hour").GetInt64());
        Assert.False(sending.GetProperty("paused").GetBoolean());
        Assert.False(sending.GetProperty("cap_lifted").GetBoolean());
    }

    [Fact]
    public async Task ManyWorkersSendingAtOnceNeverPassTheCap()
    {
        TestTenant tenant = await TenantAsync(cap: 5);
        List<(Guid LeadId, string Phone)> leads = await LeadsAsync(tenant, 24, atOnce: true);
        await SettledAsync(tenant, leads, sent: 5);
        Assert.Equal(5, TextsTo(leads));
        Assert.Equal(5, (await SendingAsync(tenant)).GetProperty("sent_this_hour").GetInt64());
        Assert.True(await EmailLeads.EventuallyAsync(() => OperatorAlerts(tenant).Count > 0), "the operator was not alerted");
        await Task.Delay(500);
        Assert.Single(OperatorAlerts(tenant));
    }
}

public sealed class SqliteOutboundCapTests(AlertsFixture<SqliteApp> fixture)
    : OutboundCapTests(fixture), IClassFixture<AlertsFixture<SqliteApp>>;

public sealed class PostgresOutboundCapTests(AlertsFixture<PostgresApp> fixture)
    : OutboundCapTests(fixture), IClassFixture<AlertsFixture<PostgresApp>>;
