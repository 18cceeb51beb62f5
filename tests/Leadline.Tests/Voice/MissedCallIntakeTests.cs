using System.Net;
using System.Text.Json;
using Dapper;
using Leadline.Data;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Voice;

/// <summary>
/// A missed call comes in through the same intake as a form or a text: one person reaching the business through
/// two doors at once is one lead with one conversation, and the call's own rules (one text-back) still hold.
/// </summary>
public abstract class MissedCallIntakeTests<TApp>(MissedCallFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private LeadlineApp App => fixture.App;

    private Task<TestTenant> TenantAsync() =>
        App.CreateTenantAsync(new { business_name = "Harbor Plumbing", booking_link = "https://cal.com/harbor/estimate", timezone = "America/Chicago" });

    private static object Call(string caller) => new { call_id = "pbx-" + Guid.NewGuid().ToString("N"), from = caller, caller_name = "Dana Reyes" };

    private static object Form(string caller) => new
    {
        name = "Dana Reyes",
        phone = caller,
        email = $"dana{Guid.NewGuid():N}@example.com",
        message = "Our water heater is leaking, can someone come today?",
    };

    private async Task<List<Guid>> ConversationsAsync(Guid tenantId, Guid leadId)
    {
        await using var connection = await App.Services.GetRequiredService<Db>().OpenAsync();
        return [.. await connection.QueryAsync<Guid>(
            "SELECT id FROM conversations WHERE tenant_id = @tenantId AND lead_id = @leadId", new { tenantId, leadId })];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFormAndAMissedCallFromOneNumberInTheSameMinuteAreOneLeadWithOneConversation(bool formFirst)
    {
        TestTenant tenant = await TenantAsync();
        string caller = TextLeads.NewNumber();
        Func<Task<JsonElement>> form = async () =>
            await (await tenant.Client.PostJsonAsync("/webhooks/web-form", Form(caller))).JsonAsync(HttpStatusCode.Accepted);
        Func<Task<JsonElement>> call = async () =>
            await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", Call(caller))).JsonAsync(HttpStatusCode.Accepted);

        JsonElement first = await (formFirst ? form : call)();
        JsonElement second = await (formFirst ? call : form)();

        Assert.Equal(("accepted", "accepted"), (first.GetProperty("status").GetString(), second.GetProperty("status").GetString()));
        Guid leadId = first.GetProperty("lead_id").GetGuid();
        Assert.Equal(leadId, second.GetProperty("lead_id").GetGuid());
        Assert.Equal(first.GetProperty("conversation_id").GetGuid(), second.GetProperty("conversation_id").GetGuid());
        Assert.Equal([first.GetProperty("conversation_id").GetGuid()], await ConversationsAsync(tenant.Id, leadId));

        // The caller still gets the missed call's text-back, once, in that conversation.
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent" && m.GetProperty("channel").GetString() == "sms"));
        Assert.Equal(2, lead.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in"));
        Assert.Contains("Sorry we missed your call", Assert.Single(fixture.Twilio.RequestsTo(caller)).Field("Body"));
    }

    [Fact]
    public async Task AFormAndAMissedCallArrivingTogetherStillMakeOneLeadAndOneConversation()
    {
        TestTenant tenant = await TenantAsync();
        string caller = TextLeads.NewNumber();
        JsonElement[] answers = await Task.WhenAll(
            Task.Run(async () => await (await tenant.Client.PostJsonAsync("/webhooks/web-form", Form(caller))).JsonAsync(HttpStatusCode.Accepted)),
            Task.Run(async () => await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", Call(caller))).JsonAsync(HttpStatusCode.Accepted)));

        Guid leadId = Assert.Single(answers.Select(a => a.GetProperty("lead_id").GetGuid()).Distinct());
        Guid conversationId = Assert.Single(answers.Select(a => a.GetProperty("conversation_id").GetGuid()).Distinct());
        Assert.Equal([conversationId], await ConversationsAsync(tenant.Id, leadId));
    }

    [Fact]
    public async Task AMissedCallLaterThanTheDedupeWindowStartsItsOwnTextConversation()
    {
        TestTenant tenant = await TenantAsync();
        string caller = TextLeads.NewNumber();
        JsonElement form = await (await tenant.Client.PostJsonAsync("/webhooks/web-form", Form(caller))).JsonAsync(HttpStatusCode.Accepted);
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        JsonElement call = await (await tenant.Client.PostJsonAsync("/webhooks/missed-call", Call(caller))).JsonAsync(HttpStatusCode.Accepted);

        Guid leadId = form.GetProperty("lead_id").GetGuid();
        Assert.Equal(leadId, call.GetProperty("lead_id").GetGuid());
        Assert.NotEqual(form.GetProperty("conversation_id").GetGuid(), call.GetProperty("conversation_id").GetGuid());
        Assert.Equal(2, (await ConversationsAsync(tenant.Id, leadId)).Count);
    }
}

public sealed class SqliteMissedCallIntakeTests(MissedCallFixture<SqliteApp> fixture)
    : MissedCallIntakeTests<SqliteApp>(fixture), IClassFixture<MissedCallFixture<SqliteApp>>;

public sealed class PostgresMissedCallIntakeTests(MissedCallFixture<PostgresApp> fixture)
    : MissedCallIntakeTests<PostgresApp>(fixture), IClassFixture<MissedCallFixture<PostgresApp>>;
