using System.Net;
using System.Net.Sockets;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leadline.Tests.Delivery;

/// <summary>The SendGrid channel as <see cref="DeliveryServices.AddDelivery"/> registers it, without the rest of the app.</summary>
public sealed class SendGridChannelTests
{
    private static ServiceProvider Services(string baseUrl, string key = FakeSendGrid.ApiKey)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddTenants();
        services.AddDelivery();
        services.AddSingleton(new DeliveryOptions { SendGridApiKey = key, SendGridBaseUrl = new Uri(baseUrl) });
        return services.BuildServiceProvider();
    }

    private static OutboundMessage Message(string to) => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        To = to,
        From = "replies@acme.example",
        Subject = "Re: hello",
        Body = "Hello.",
    };

    [Fact]
    public async Task ServerErrorMakesExactlyOneRequestAndATransientFailure()
    {
        await using var sendGrid = new FakeSendGrid();
        sendGrid.Fail("a@example.com", 503, times: 5, retryAfter: "7");
        await using ServiceProvider services = Services(sendGrid.BaseUrl);
        IOutboundChannel channel = services.GetServices<IOutboundChannel>().Single(c => c.Name == "sendgrid");

        var error = await Assert.ThrowsAsync<DeliveryException>(() => channel.SendAsync(Message("a@example.com"), default));
        Assert.False(error.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Single(sendGrid.RequestsFor("a@example.com"));
    }

    [Fact]
    public async Task UnreachableSendGridIsATransientFailure()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using ServiceProvider services = Services($"http://127.0.0.1:{port}");
        IOutboundChannel channel = services.GetServices<IOutboundChannel>().Single(c => c.Name == "sendgrid");

        var error = await Assert.ThrowsAsync<DeliveryException>(() => channel.SendAsync(Message("b@example.com"), default));
        Assert.False(error.Permanent);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task RejectedKeyIsAPermanentFailure()
    {
        await using var sendGrid = new FakeSendGrid();
        await using ServiceProvider services = Services(sendGrid.BaseUrl, key: "SG.revoked");
        IOutboundChannel channel = services.GetServices<IOutboundChannel>().Single(c => c.Name == "sendgrid");

        var error = await Assert.ThrowsAsync<DeliveryException>(() => channel.SendAsync(Message("c@example.com"), default));
        Assert.True(error.Permanent);
        Assert.Contains("401", error.Message);
        Assert.Contains("authorization required", error.Message);
    }
}
