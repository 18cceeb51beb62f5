using System.Text.Json;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Alerts;

/// <summary>OWNER_ALERT_EMAIL: the owner hears about each new lead once, through whichever e-mail channel is configured.</summary>
public abstract class OwnerAlertTests(LeadlineApp smtpApp, TestSmtpServer smtp, LeadlineApp sendGridApp, FakeSendGrid sendGrid)
{
    private const string Owner = "owner@leadline.test";

    [Fact]
    public async Task OwnerGetsOneAlertPerNewLeadBySmtp()
    {
        TestTenant tenant = await smtpApp.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email, message: "Do you fit kitchens in Leeds?");
        await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        Guid again = await EmailLeads.PostAsync(tenant.Client, email, message: "Also, do you do bathrooms?");
        Assert.Equal(leadId, again);
        await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Count(m => m.Status() == "sent") == 2);

        Assert.True(await EmailLeads.EventuallyAsync(() => AlertsBySmtp(email).Count > 0), "the owner got no alert");
        // A second alert would be queued with the second message; give it time to arrive before counting.
        await Task.Delay(500);
        SmtpDelivery alert = Assert.Single(AlertsBySmtp(email));
        Assert.Equal("New lead: Jordan Lee", alert.Mail.Decoded("Subject"));
        Assert.Contains("Do you fit kitchens in Leeds?", alert.Mail.Body);
        Assert.Contains("/v1/conversations/", alert.Mail.Body);
        Assert.True(alert.Tls);
    }

    [Fact]
    public async Task OwnerGetsOneAlertPerNewLeadThroughSendGrid()
    {
        TestTenant tenant = await sendGridApp.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email, message: "Do you fit kitchens in York?");
        await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        await EmailLeads.PostAsync(tenant.Client, email, message: "And how soon could you start?");
        await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Count(m => m.Status() == "sent") == 2);

        Assert.True(await EmailLeads.EventuallyAsync(() => AlertsBySendGrid(email).Count > 0), "the owner got no alert");
        await Task.Delay(500);
        JsonElement alert = Assert.Single(AlertsBySendGrid(email)).Body;
        Assert.Equal("New lead: Jordan Lee", alert.GetProperty("subject").GetString());
        Assert.Equal(Owner, alert.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Contains("Do you fit kitchens in York?", alert.GetProperty("content")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task AlertThatSendGridThrottlesArrivesLater()
    {
        TestTenant tenant = await sendGridApp.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        sendGrid.Fail(Owner, 429, times: 1, retryAfter: "1");
        await EmailLeads.PostAsync(tenant.Client, email, message: "Can you quote for a loft?");

        Assert.True(await EmailLeads.EventuallyAsync(() => AlertsBySendGrid(email).Count > 0, 15_000), "the throttled alert never arrived");
        var attempts = sendGrid.RequestsFor(Owner)
            .Where(r => r.Body.GetProperty("content")[0].GetProperty("value").GetString()!.Contains(email, StringComparison.Ordinal));
        Assert.Equal([429, 202], attempts.Select(r => r.Status));
    }

    private List<SmtpDelivery> AlertsBySmtp(string leadEmail) =>
        [.. smtp.AcceptedFor(Owner).Where(d => d.Mail.Body.Contains(leadEmail, StringComparison.Ordinal))];

    private List<SendGridRequest> AlertsBySendGrid(string leadEmail) =>
        [.. sendGrid.RequestsFor(Owner).Where(r => r.Status == 202
            && r.Body.GetProperty("content")[0].GetProperty("value").GetString()!.Contains(leadEmail, StringComparison.Ordinal))];
}

public sealed class SqliteOwnerAlertTests(SmtpFixture<SqliteApp> smtp, SendGridFixture<SqliteApp> sendGrid)
    : OwnerAlertTests(smtp.App, smtp.Smtp, sendGrid.App, sendGrid.SendGrid),
      IClassFixture<SmtpFixture<SqliteApp>>, IClassFixture<SendGridFixture<SqliteApp>>;

public sealed class PostgresOwnerAlertTests(SmtpFixture<PostgresApp> smtp, SendGridFixture<PostgresApp> sendGrid)
    : OwnerAlertTests(smtp.App, smtp.Smtp, sendGrid.App, sendGrid.SendGrid),
      IClassFixture<SmtpFixture<PostgresApp>>, IClassFixture<SendGridFixture<PostgresApp>>;
