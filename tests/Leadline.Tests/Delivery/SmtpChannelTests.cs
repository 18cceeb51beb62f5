using System.Net;
using System.Net.Sockets;
using Leadline.Delivery;
using Leadline.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadline.Tests.Delivery;

/// <summary>The SMTP channel against the test server in each way a real server may behave, without the rest of the app.</summary>
public sealed class SmtpChannelTests
{
    private static SmtpChannel Channel(string url, bool insecureLoopback = true, TimeSpan? timeout = null)
    {
        IConfiguration config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SmtpOptions.InsecureLoopbackVariable] = insecureLoopback ? "true" : "false" })
            .Build();
        SmtpOptions options = SmtpOptions.Load(new Uri(url), config)!;
        if (timeout is TimeSpan t)
        {
            // Only the wait for replies is shortened: a loopback connect must not time out on a busy machine.
            options = options with { CommandTimeout = t };
        }
        return new SmtpChannel(options, TimeProvider.System, NullLogger<SmtpChannel>.Instance);
    }

    private static OutboundMessage Message(string body = "Hello from the test.") => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        To = "jordan@example.com",
        From = "replies@acme.example",
        FromName = "Acme",
        Subject = "Re: hello",
        Body = body,
    };

    [Fact]
    public async Task StartTlsAndAuthPlainAreUsedWhenOffered()
    {
        await using var server = new TestSmtpServer(SmtpTls.StartTls, "user", "p@ss:word");
        OutboundMessage message = Message();
        SendReceipt receipt = await Channel($"smtp://user:p%40ss%3Aword@127.0.0.1:{server.Port}").SendAsync(message, default);

        SmtpDelivery delivery = Assert.Single(server.Received);
        Assert.True(delivery.Tls);
        Assert.Equal("PLAIN", delivery.AuthMechanism);
        Assert.Equal("user", delivery.AuthUser);
        Assert.Equal(["jordan@example.com"], delivery.To);
        Assert.Equal(receipt.ProviderMessageId, delivery.Mail.Header("Message-ID"));
    }

    [Fact]
    public async Task AuthLoginIsUsedWhenPlainIsNotOffered()
    {
        await using var server = new TestSmtpServer(SmtpTls.StartTls, "user", "secret", mechanisms: ["LOGIN"]);
        await Channel($"smtp://user:secret@127.0.0.1:{server.Port}").SendAsync(Message(), default);
        Assert.Equal("LOGIN", Assert.Single(server.Received).AuthMechanism);
    }

    [Fact]
    public async Task SmtpsUrlSpeaksTlsFromTheFirstByte()
    {
        await using var server = new TestSmtpServer(SmtpTls.Implicit, "user", "secret");
        await Channel($"smtps://user:secret@127.0.0.1:{server.Port}").SendAsync(Message(), default);
        Assert.True(Assert.Single(server.Received).Tls);
    }

    [Fact]
    public async Task HeloIsUsedWhenTheServerDoesNotKnowEhlo()
    {
        await using var server = new TestSmtpServer(ehlo: false);
        await Channel($"smtp://127.0.0.1:{server.Port}").SendAsync(Message(), default);
        SmtpDelivery delivery = Assert.Single(server.Received);
        Assert.False(delivery.Tls);
        Assert.Null(delivery.AuthMechanism);
    }

    [Fact]
    public async Task LinesOfDotsArriveIntact()
    {
        await using var server = new TestSmtpServer();
        const string body = "First line\n.\n..\n.hidden\nlast";
        await Channel($"smtp://127.0.0.1:{server.Port}").SendAsync(Message(body), default);
        Assert.Equal(body, Assert.Single(server.Received).Mail.Body);
    }

    [Fact]
    public async Task SelfSignedCertificateIsRefusedUnlessAllowedForLoopback()
    {
        await using var server = new TestSmtpServer(SmtpTls.StartTls);
        var error = await Assert.ThrowsAsync<DeliveryException>(() =>
            Channel($"smtp://127.0.0.1:{server.Port}", insecureLoopback: false).SendAsync(Message(), default));
        Assert.False(error.Permanent);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task WrongPasswordIsAPermanentFailure()
    {
        await using var server = new TestSmtpServer(SmtpTls.StartTls, "user", "secret");
        var error = await Assert.ThrowsAsync<DeliveryException>(() =>
            Channel($"smtp://user:wrong@127.0.0.1:{server.Port}").SendAsync(Message(), default));
        Assert.True(error.Permanent);
        Assert.Contains("535", error.Message);
        Assert.DoesNotContain("wrong", error.Message);
    }

    [Fact]
    public async Task RefusedRecipientIsReportedWithoutTheAddress()
    {
        await using var server = new TestSmtpServer();
        server.FailRcpt("jordan@example.com", 550);
        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel($"smtp://127.0.0.1:{server.Port}").SendAsync(Message(), default));
        Assert.True(error.Permanent);
        Assert.Contains("550 5.1.1", error.Message);
        Assert.DoesNotContain("jordan@example.com", error.Message);
    }

    [Fact]
    public async Task RefusedConnectionIsATransientFailure()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var error = await Assert.ThrowsAsync<DeliveryException>(() => Channel($"smtp://127.0.0.1:{port}").SendAsync(Message(), default));
        Assert.False(error.Permanent);
    }

    [Fact]
    public async Task SilentServerTimesOutAsATransientFailure()
    {
        await using var server = new TestSmtpServer(greet: false);
        var error = await Assert.ThrowsAsync<DeliveryException>(() =>
            Channel($"smtp://127.0.0.1:{server.Port}", timeout: TimeSpan.FromMilliseconds(300)).SendAsync(Message(), default));
        Assert.False(error.Permanent);
        Assert.Contains("did not answer", error.Message);
    }
}
