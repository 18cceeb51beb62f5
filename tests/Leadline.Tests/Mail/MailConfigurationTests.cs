using Leadline.Hosting;
using Leadline.Mail;
using MailKit.Security;
using Microsoft.Extensions.Configuration;

namespace Leadline.Tests.Mail;

/// <summary>The IMAP_*, POLLER_* and SENDGRID_INBOUND_SECRET variables: defaults, and a bad value naming itself.</summary>
public sealed class MailConfigurationTests
{
    private static readonly (string, string)[] Mailbox = [("IMAP_HOST", "imap.gmail.com"), ("IMAP_USERNAME", "leads@example.com"), ("IMAP_PASSWORD", "app-password")];

    private static MailOptions Load(params (string Key, string Value)[] values) =>
        MailOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void WithoutImapHostNoMailboxIsReadAndThePollerDefaultsApply()
    {
        MailOptions options = Load();
        Assert.Null(options.Imap);
        Assert.True(options.PollerEnabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PollerInterval);
    }

    [Fact]
    public void ImapDefaultsToImplicitTlsOnPort993AndTheInbox()
    {
        var imap = Load(Mailbox).Imap!;
        Assert.Equal(993, imap.Port);
        Assert.Equal("implicit", imap.Tls);
        Assert.Equal("INBOX", imap.Folder);
        Assert.Equal(SecureSocketOptions.SslOnConnect, imap.Security);

        var starttls = Load([.. Mailbox, ("IMAP_TLS", "STARTTLS"), ("IMAP_FOLDER", "Leads")]).Imap!;
        Assert.Equal(143, starttls.Port);
        Assert.Equal(SecureSocketOptions.StartTls, starttls.Security);
        Assert.Equal("Leads", starttls.Folder);
        Assert.DoesNotContain("app-password", starttls.ToString());
    }

    [Theory]
    [InlineData("IMAP_TLS", "ssl")]
    [InlineData("IMAP_TLS", "none")]
    [InlineData("IMAP_PORT", "0")]
    [InlineData("IMAP_USERNAME", "")]
    [InlineData("IMAP_PASSWORD", "")]
    [InlineData("IMAP_TLS_CERT", "/no/such/certificate.pem")]
    [InlineData("POLLER_ENABLED", "sometimes")]
    [InlineData("POLLER_INTERVAL_SECONDS", "0")]
    [InlineData("SENDGRID_INBOUND_SECRET", "short")]
    public void ABadMailSettingStopsStartUpNamingTheVariable(string key, string value)
    {
        var values = Mailbox.Where(m => m.Item1 != key).Append((key, value)).ToArray();
        var e = Assert.Throws<ConfigException>(() => Load(values));
        Assert.Equal(key, e.Variable);
    }
}
