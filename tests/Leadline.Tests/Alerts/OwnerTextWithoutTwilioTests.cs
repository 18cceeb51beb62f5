using System.Text.Json;
using Leadline.Delivery;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Alerts;

/// <summary>The app with an owner phone for every tenant (OWNER_ALERT_SMS_TO) and e-mail, but no Twilio account.</summary>
public sealed class NoTwilioFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string OwnerPhone = "+15557654321";

    public NoTwilioFixture()
    {
        Smtp = new TestSmtpServer(SmtpTls.StartTls, SmtpFixture<TApp>.User, SmtpFixture<TApp>.Password);
        App = new TApp();
        App.With("SMTP_URL", $"smtp://{SmtpFixture<TApp>.User}:{Uri.EscapeDataString(SmtpFixture<TApp>.Password)}@127.0.0.1:{Smtp.Port}")
            .With(SmtpOptions.InsecureLoopbackVariable, "true")
            .With("EMAIL_FROM", SmtpFixture<TApp>.Sender)
            .With("OWNER_ALERT_SMS_TO", OwnerPhone);
    }

    public TestSmtpServer Smtp { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Without a Twilio account the owner's text is skipped, and the audit trail says why; the e-mail still goes.</summary>
public abstract class OwnerTextWithoutTwilioTests(LeadlineApp app, TestSmtpServer smtp)
{
    [Fact]
    public async Task TheTextToOwnerAlertSmsToIsSkippedAndSaysWhy()
    {
        string owner = $"owner-{Guid.NewGuid():N}@example.com";
        TestTenant tenant = await app.CreateTenantAsync(new { owner_email = owner });
        await tenant.SetAsync(new { owner_quiet_hours = "off" });
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, EmailLeads.NewAddress(), message: "Our basement is flooding, can someone come today?");

        Assert.True(await EmailLeads.EventuallyAsync(() => smtp.AcceptedFor(owner).Any(d => d.Mail.Decoded("Subject")?.StartsWith("HOT lead", StringComparison.Ordinal) == true)),
            "the owner got no e-mail");
        Assert.True(await AlertSteps.EventuallyAsync(async () => (await tenant.AuditAsync(leadId, "alert.skipped")).Count > 0), "the skipped text was not audited");
        JsonElement skipped = Assert.Single(await tenant.AuditAsync(leadId, "alert.skipped")).GetProperty("data");
        Assert.Equal("sms", skipped.GetProperty("channel").GetString());
        Assert.Equal("hot_lead", skipped.GetProperty("reason").GetString());
        Assert.Contains("no Twilio account", skipped.GetProperty("why").GetString());
    }
}

public sealed class SqliteOwnerTextWithoutTwilioTests(NoTwilioFixture<SqliteApp> fixture)
    : OwnerTextWithoutTwilioTests(fixture.App, fixture.Smtp), IClassFixture<NoTwilioFixture<SqliteApp>>;

public sealed class PostgresOwnerTextWithoutTwilioTests(NoTwilioFixture<PostgresApp> fixture)
    : OwnerTextWithoutTwilioTests(fixture.App, fixture.Smtp), IClassFixture<NoTwilioFixture<PostgresApp>>;
