using System.Net;
using System.Net.Sockets;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leadline.Tests.Delivery;

/// <summary>The Twilio channels and the router as <see cref="DeliveryServices.AddDelivery"/> registers them, without the rest of the app.</summary>
public sealed class TwilioChannelTests
{
    private const string SmsFrom = "+15005550006";

    private static readonly TwilioAccount s_account = new(FakeTwilio.AccountSid, FakeTwilio.AuthToken, SmsFrom, SmsFrom);

    private static readonly Tenant s_tenant = new(Guid.NewGuid(), "acme", "Acme", "active", new TenantSettings(), 1);

    private static ServiceProvider Services(DeliveryOptions options, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddTenants();
        services.AddDelivery();
        services.AddSingleton(options);
        if (timeout is TimeSpan t)
        {
            services.AddHttpClient(TwilioChannel.HttpClientName).ConfigureHttpClient(c => c.Timeout = t);
        }
        return services.BuildServiceProvider();
    }

    private static DeliveryOptions Options(string baseUrl, Uri? publicBaseUrl = null) =>
        new() { TwilioApiBaseUrl = new Uri(baseUrl), PublicBaseUrl = publicBaseUrl };

    private static IOutboundChannel Channel(ServiceProvider services, string name) =>
        services.GetServices<IOutboundChannel>().Single(c => c.Name == name);

    private static OutboundMessage Text(string to, TwilioAccount? account = null) => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        To = to,
        From = "replies@acme.example",
        Body = "Hello.",
        Twilio = account ?? s_account,
    };

    [Fact]
    public async Task WithoutAPublicBaseUrlNoStatusCallbackIsSent()
    {
        await using var twilio = new FakeTwilio();
        await using ServiceProvider services = Services(Options(twilio.BaseUrl));
        string to = TextLeads.NewNumber();

        SendReceipt receipt = await Channel(services, TwilioChannel.Sms).SendAsync(Text(to), default);

        TwilioRequest request = Assert.Single(twilio.RequestsTo(to));
        Assert.Equal(request.MessageSid, receipt.ProviderMessageId);
        Assert.Null(request.Field("StatusCallback"));
    }

    [Fact]
    public async Task SlowTwilioIsATransientFailure()
    {
        await using var twilio = new FakeTwilio();
        string to = TextLeads.NewNumber();
        twilio.Slow(to, TimeSpan.FromSeconds(3));
        await using ServiceProvider services = Services(Options(twilio.BaseUrl), timeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel(services, TwilioChannel.Sms).SendAsync(Text(to), default));
        Assert.False(error.Permanent);
        Assert.Contains("did not answer", error.Message);
    }

    [Fact]
    public async Task UnreachableTwilioIsATransientFailure()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using ServiceProvider services = Services(Options($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel(services, TwilioChannel.WhatsApp).SendAsync(Text(TextLeads.NewNumber()), default));
        Assert.False(error.Permanent);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task ServerErrorMakesExactlyOneRequestAndATransientFailureWithRetryAfter()
    {
        await using var twilio = new FakeTwilio();
        string to = TextLeads.NewNumber();
        twilio.Fail(to, 503, 20503, "Service Unavailable", times: 5, retryAfter: "7");
        await using ServiceProvider services = Services(Options(twilio.BaseUrl));

        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel(services, TwilioChannel.Sms).SendAsync(Text(to), default));
        Assert.False(error.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Single(twilio.RequestsTo(to));
    }

    [Fact]
    public async Task WrongAuthTokenIsAPermanentFailure()
    {
        await using var twilio = new FakeTwilio();
        await using ServiceProvider services = Services(Options(twilio.BaseUrl));
        var account = s_account with { AuthToken = "revoked" };

        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel(services, TwilioChannel.Sms).SendAsync(Text(TextLeads.NewNumber(), account), default));
        Assert.True(error.Permanent);
        Assert.Contains("401", error.Message);
        Assert.Contains("20003", error.Message);
    }

    [Fact]
    public void PrintingAMessageDoesNotShowTheAuthToken()
    {
        string printed = Text(TextLeads.NewNumber()).ToString();
        Assert.Contains(FakeTwilio.AccountSid, printed);
        Assert.DoesNotContain(FakeTwilio.AuthToken, printed);
    }

    [Fact]
    public async Task TextsGoThroughTwilioOnlyWhenTheTenantHasAnAccountWithASender()
    {
        await using ServiceProvider configured = Services(Options("http://127.0.0.1:9") with
        {
            Twilio = new TwilioAccount(FakeTwilio.AccountSid, FakeTwilio.AuthToken, SmsFrom, SmsFrom),
        });
        ChannelRouter router = configured.GetRequiredService<ChannelRouter>();
        string phone = TextLeads.NewNumber();

        Assert.Equal((TwilioChannel.Sms, phone), Name(router.ForLead(s_tenant, "sms", null, phone)));
        Assert.Equal((TwilioChannel.Sms, phone), Name(router.ForLead(s_tenant, "voice", "a@example.com", phone)));
        Assert.Equal((TwilioChannel.WhatsApp, phone), Name(router.ForLead(s_tenant, "whatsapp", null, phone)));
        Assert.Equal(SmsFrom, router.ForLead(s_tenant, "whatsapp", null, phone)!.Value.Twilio!.WhatsAppFrom);
        Assert.Equal(("log", "a@example.com"), Name(router.ForLead(s_tenant, "email", "a@example.com", phone)));
        Assert.Equal(("log", phone), Name(router.ForLead(s_tenant, "web_form", null, phone)));

        await using ServiceProvider unconfigured = Services(Options("http://127.0.0.1:9"));
        router = unconfigured.GetRequiredService<ChannelRouter>();
        Assert.Equal(("log", phone), Name(router.ForLead(s_tenant, "sms", null, phone)));
        Assert.Equal(("log", phone), Name(router.ForLead(s_tenant, "whatsapp", null, phone)));
        Assert.Null(router.ForLead(s_tenant, "sms", null, null));
    }

    private static (string Channel, string To)? Name((IOutboundChannel Channel, string To, TwilioAccount? Twilio)? route) =>
        route is { } r ? (r.Channel.Name, r.To) : null;
}
