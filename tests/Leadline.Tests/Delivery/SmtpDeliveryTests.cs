using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

public abstract class SmtpDeliveryTests(LeadlineApp app, TestSmtpServer smtp)
{
    [Fact]
    public async Task EmailLeadGetsAThreadedReplyBySmtp()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "Acme Kitchens" });
        string email = EmailLeads.NewAddress();
        string inboundId = EmailLeads.NewMessageId();
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email, "Kitchen remodel quote", inboundId);

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Number, lead.GetProperty("speed_to_lead_ms").ValueKind);
        string providerId = reply.GetProperty("provider_message_id").GetString()!;

        SmtpDelivery delivery = Assert.Single(smtp.AcceptedFor(email));
        Assert.True(delivery.Tls, "the message should travel over STARTTLS");
        Assert.Equal(SmtpFixture<SqliteApp>.User, delivery.AuthUser);
        Assert.Equal(SmtpFixture<SqliteApp>.Sender, delivery.From);
        MailText mail = delivery.Mail;
        Assert.Equal("Re: Kitchen remodel quote", mail.Decoded("Subject"));
        Assert.Equal(inboundId, mail.Header("In-Reply-To"));
        Assert.Equal(inboundId, mail.Header("References"));
        Assert.Equal(providerId, mail.Header("Message-ID"));
        Assert.Equal("Acme Kitchens <replies@leadline.test>", mail.Header("From"));
        Assert.Equal($"Jordan Lee <{email}>", mail.Header("To"));
        Assert.Equal("text/plain; charset=utf-8", mail.Header("Content-Type"));
        Assert.Equal(reply.GetProperty("body").GetString()!.ReplaceLineEndings("\n"), mail.Body);
    }

    [Fact]
    public async Task ArabicSubjectAndBusinessNameArriveEncodedAndDecodeBack()
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "عقارات الريان" });
        string email = EmailLeads.NewAddress();
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email, "استفسار عن شقة في الدمام", message: "أريد شقة في الدمام");

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        Assert.Equal("sent", Assert.Single(lead.Outbound()).Status());
        SmtpDelivery delivery = Assert.Single(smtp.AcceptedFor(email));
        Assert.All(delivery.Data, c => Assert.True(c < 128, "every byte on the wire should be ASCII"));
        Assert.Equal("Re: استفسار عن شقة في الدمام", delivery.Mail.Decoded("Subject"));
        Assert.StartsWith("عقارات الريان", delivery.Mail.Decoded("From"));
    }

    [Fact]
    public async Task TransientSmtpFailureIsRetriedWithTheSameMessageId()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        smtp.FailData(email, 451, times: 1);
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(2, reply.GetProperty("attempts").GetInt32());
        IReadOnlyList<SmtpDelivery> tries = smtp.DataFor(email);
        Assert.Equal([false, true], tries.Select(t => t.Accepted));
        // The refused copy and the accepted one carry one Message-ID, so a receiver that kept both can drop one.
        Assert.Equal(tries[0].Mail.Header("Message-ID"), tries[1].Mail.Header("Message-ID"));
        Assert.Equal(reply.GetProperty("provider_message_id").GetString(), tries[1].Mail.Header("Message-ID"));
    }

    [Fact]
    public async Task TransientRecipientRefusalIsRetriedUntilSent()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        smtp.FailRcpt(email, 450, times: 2);
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Status() == "sent"), 15_000);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("sent", reply.Status());
        Assert.Equal(3, reply.GetProperty("attempts").GetInt32());
        Assert.Equal(3, smtp.RcptAttempts(email));
        Assert.Single(smtp.AcceptedFor(email));
    }

    [Fact]
    public async Task PermanentSmtpFailureIsNotRetried()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        string email = EmailLeads.NewAddress();
        smtp.FailRcpt(email, 550, times: 5);
        Guid leadId = await EmailLeads.PostAsync(tenant.Client, email);

        JsonElement lead = await EmailLeads.WaitForReplyAsync(tenant.Client, leadId);
        JsonElement reply = Assert.Single(lead.Outbound());
        Assert.Equal("failed", reply.Status());
        Assert.Equal(1, reply.GetProperty("attempts").GetInt32());
        string error = reply.GetProperty("last_error").GetString()!;
        Assert.Contains("550", error);
        Assert.Contains("Recipient address rejected", error);
        Assert.DoesNotContain(email, error);
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("speed_to_lead_ms").ValueKind);

        // Give a wrong retry (the backoff here is 50 ms) time to happen before checking that none did.
        await Task.Delay(500);
        Assert.Equal(1, smtp.RcptAttempts(email));
        Assert.Empty(smtp.DataFor(email));
    }
}

public sealed class SqliteSmtpDeliveryTests(SmtpFixture<SqliteApp> fixture)
    : SmtpDeliveryTests(fixture.App, fixture.Smtp), IClassFixture<SmtpFixture<SqliteApp>>;

public sealed class PostgresSmtpDeliveryTests(SmtpFixture<PostgresApp> fixture)
    : SmtpDeliveryTests(fixture.App, fixture.Smtp), IClassFixture<SmtpFixture<PostgresApp>>;
