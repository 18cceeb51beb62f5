using System.Globalization;
using System.Text.Json;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Alerts;

/// <summary>
/// Hot leads and hand-offs reach the owner by e-mail at once and by text through Twilio, once per lead and reason;
/// the text waits for the owner's quiet hours (the tenant's own, else the instance's QUIET_HOURS), the e-mail never.
/// </summary>
public abstract class OwnerTextAlertTests(AlertsFixture fixture)
{
    private const string Hot = "Our basement is flooding, can someone come today?";

    private LeadlineApp App => fixture.App;

    private FakeTwilio Twilio => fixture.Twilio;

    private TestSmtpServer Smtp => fixture.Smtp;

    private ShiftableClock Clock => fixture.Clock;

    private sealed record Owner(TestTenant Tenant, string Email, string? Phone);

    /// <summary>A tenant whose owner has an address and (unless told otherwise) a phone of their own.</summary>
    private async Task<Owner> OwnerAsync(string timezone, string? quietHours, bool phone = true)
    {
        string email = $"owner-{Guid.NewGuid():N}@example.com";
        TestTenant tenant = await App.CreateTenantAsync(new { timezone, owner_email = email, business_name = "Harbor Plumbing" });
        string? number = phone ? TextLeads.NewNumber() : null;
        await tenant.SetAsync(new { owner_phone = number, owner_quiet_hours = quietHours ?? "" });
        return new Owner(tenant, email, number);
    }

    private List<SmtpDelivery> Mails(Owner owner, string subjectStart) =>
        [.. Smtp.AcceptedFor(owner.Email).Where(d => d.Mail.Decoded("Subject")?.StartsWith(subjectStart, StringComparison.Ordinal) == true)];

    private IReadOnlyList<TwilioRequest> Texts(Owner owner) => Twilio.RequestsTo(owner.Phone!);

    [Fact]
    public async Task AHotLeadReachesTheOwnerByEmailAndTextOnce()
    {
        Owner owner = await OwnerAsync("America/New_York", "off");
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(owner.Tenant.Client, phone, message: Hot);

        Assert.True(await EmailLeads.EventuallyAsync(() => Mails(owner, "HOT lead").Count > 0 && Texts(owner).Count > 0, 15_000),
            "the owner did not get both alerts");
        TwilioRequest text = Assert.Single(Texts(owner));
        Assert.Equal(201, text.Status);
        Assert.Equal(TwilioFixture<SqliteApp>.SmsFrom, text.Field("From"));
        string body = text.Field("Body")!;
        Assert.StartsWith("Harbor Plumbing: HOT lead Jordan, " + phone, body);
        JsonElement lead = await EmailLeads.WaitForReplyAsync(owner.Tenant.Client, leadId);
        Assert.EndsWith($"{TwilioFixture<SqliteApp>.PublicBaseUrl}/v1/conversations/{lead.GetProperty("conversation_id").GetGuid()}", body);
        Assert.DoesNotContain("flooding", body);
        Assert.Contains("flooding", Assert.Single(Mails(owner, "HOT lead")).Mail.Body);

        // Still HOT on the next turn: no second alert of either kind.
        await TextLeads.PostAsync(owner.Tenant.Client, phone, message: "Water is everywhere now, please come right away");
        await owner.Tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Count(m => m.Status() == "sent") == 2);
        await Task.Delay(500);
        Assert.Single(Mails(owner, "HOT lead"));
        Assert.Single(Texts(owner));

        JsonElement sent = Assert.Single(await owner.Tenant.AuditAsync(leadId, "alert.sent"), e => e.GetProperty("data").GetProperty("channel").GetString() == "twilio-sms");
        Assert.Equal(text.MessageSid, sent.GetProperty("data").GetProperty("provider_message_id").GetString());
        Assert.Equal(1, await AlertSteps.MetricAsync(App, "owner_alert_total", $"{{channel=\"sms\",reason=\"hot_lead\",tenant=\"{owner.Tenant.Slug}\"}}"));
        Assert.Equal(1, await AlertSteps.MetricAsync(App, "owner_alert_total", $"{{channel=\"email\",reason=\"hot_lead\",tenant=\"{owner.Tenant.Slug}\"}}"));
    }

    [Fact]
    public async Task AHandOffReachesTheOwnerByEmailAndText()
    {
        Owner owner = await OwnerAsync("America/New_York", "off");
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(owner.Tenant.Client, phone, message: "Can I talk to a real person please?");

        Assert.True(await EmailLeads.EventuallyAsync(() => Mails(owner, "A lead needs a person").Count > 0 && Texts(owner).Count > 0, 15_000),
            "the owner did not get both alerts");
        Assert.Contains("asked for a person", Assert.Single(Mails(owner, "A lead needs a person")).Mail.Body);
        string body = Assert.Single(Texts(owner)).Field("Body")!;
        Assert.StartsWith($"Harbor Plumbing: Jordan, {phone}, asked for a person; the bot has paused. ", body);
        Assert.True((await owner.Tenant.Client.WaitForLeadAsync(leadId, l => l.GetProperty("escalated").GetBoolean())).GetProperty("escalated").GetBoolean());
        Assert.Empty(Mails(owner, "HOT lead"));
    }

    [Fact]
    public async Task InTheOwnersQuietHoursTheEmailComesAtOnceAndTheTextWhenTheyEnd()
    {
        // A window from an hour ago to an hour from now, in the tenant's zone, whatever the time.
        TimeZoneInfo tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        DateTime local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), tokyo).DateTime;
        string window = $"{local.AddHours(-1):HH:mm}-{local.AddHours(1):HH:mm}";
        Owner owner = await OwnerAsync("Asia/Tokyo", window);
        Guid leadId = await TextLeads.PostAsync(owner.Tenant.Client, TextLeads.NewNumber(), message: Hot);

        Assert.True(await EmailLeads.EventuallyAsync(() => Mails(owner, "HOT lead").Count > 0), "the e-mail was held");
        Assert.True(await AlertSteps.EventuallyAsync(async () => (await owner.Tenant.AuditAsync(leadId, "alert.held")).Count > 0), "the text was not held");
        await EmailLeads.WaitForReplyAsync(owner.Tenant.Client, leadId);
        Assert.Empty(Texts(owner));
        JsonElement held = Assert.Single(await owner.Tenant.AuditAsync(leadId, "alert.held"));
        DateTimeOffset until = held.GetProperty("data").GetProperty("until").GetDateTimeOffset();
        DateTime end = DateTime.ParseExact(window[6..], "HH:mm", CultureInfo.InvariantCulture);
        Assert.Equal(end.TimeOfDay, TimeZoneInfo.ConvertTime(until, tokyo).TimeOfDay);

        Clock.Advance(until - Clock.GetUtcNow() - TimeSpan.FromMinutes(2));
        await Task.Delay(500);
        Assert.Empty(Texts(owner));
        Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await EmailLeads.EventuallyAsync(() => Texts(owner).Count > 0), "the text did not come when the quiet hours ended");
        Assert.Single(Texts(owner));
        Assert.Single(Mails(owner, "HOT lead"));
    }

    [Fact]
    public async Task OwnerQuietHoursOffTextsAtOnceWhileTheInstanceQuietHoursHoldOtherTenants()
    {
        // 23:30 UTC, inside the instance's QUIET_HOURS (22:00-07:00) for tenants in UTC.
        DateTimeOffset now = Clock.GetUtcNow();
        DateTimeOffset target = new DateTimeOffset(now.Year, now.Month, now.Day, 23, 30, 0, TimeSpan.Zero);
        Clock.Advance((target > now ? target : target.AddDays(1)) - now);

        Owner off = await OwnerAsync("UTC", "off");
        Owner instance = await OwnerAsync("UTC", null);
        Guid offLead = await TextLeads.PostAsync(off.Tenant.Client, TextLeads.NewNumber(), message: Hot);
        Guid heldLead = await TextLeads.PostAsync(instance.Tenant.Client, TextLeads.NewNumber(), message: Hot);

        Assert.True(await EmailLeads.EventuallyAsync(() => Texts(off).Count > 0), "quiet hours 'off' still held the text");
        Assert.True(await AlertSteps.EventuallyAsync(async () => (await instance.Tenant.AuditAsync(heldLead, "alert.held")).Count > 0),
            "the instance's QUIET_HOURS did not hold the text");
        Assert.True(await EmailLeads.EventuallyAsync(() => Mails(instance, "HOT lead").Count > 0), "the e-mail was held");
        await EmailLeads.WaitForReplyAsync(off.Tenant.Client, offLead);
        await EmailLeads.WaitForReplyAsync(instance.Tenant.Client, heldLead);
        Assert.Empty(Texts(instance));

        Clock.Advance(TimeSpan.FromHours(7.6));
        Assert.True(await EmailLeads.EventuallyAsync(() => Texts(instance).Count > 0), "the text did not come at 07:00");
    }

    [Fact]
    public async Task WithoutAnOwnerPhoneThereIsNoText()
    {
        Owner owner = await OwnerAsync("America/New_York", "off", phone: false);
        string phone = TextLeads.NewNumber();
        Guid leadId = await TextLeads.PostAsync(owner.Tenant.Client, phone, message: Hot);

        Assert.True(await EmailLeads.EventuallyAsync(() => Mails(owner, "HOT lead").Count > 0), "the owner got no e-mail");
        await EmailLeads.WaitForReplyAsync(owner.Tenant.Client, leadId);
        await Task.Delay(500);
        // Twilio was asked for the reply to the lead, and for nothing that names the lead.
        Assert.DoesNotContain(Twilio.Requests, r => r.Field("To") != phone && r.Field("Body")?.Contains(phone, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(await owner.Tenant.AuditAsync(leadId, "alert.sent"), e => e.GetProperty("data").GetProperty("channel").GetString() == "twilio-sms");
    }
}

public sealed class SqliteOwnerTextAlertTests(AlertsFixture<SqliteApp> fixture)
    : OwnerTextAlertTests(fixture), IClassFixture<AlertsFixture<SqliteApp>>;

public sealed class PostgresOwnerTextAlertTests(AlertsFixture<PostgresApp> fixture)
    : OwnerTextAlertTests(fixture), IClassFixture<AlertsFixture<PostgresApp>>;
