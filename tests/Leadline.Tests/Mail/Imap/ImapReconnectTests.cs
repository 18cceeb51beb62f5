using System.Net.Sockets;
using Leadline.Mail.Imap;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Mail.Imap;

/// <summary>A server restart, with a dovecot of its own since the test stops it.</summary>
public sealed class ImapReconnectTests(Dovecot dovecot) : IClassFixture<Dovecot>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DovecotFact]
    public async Task AfterTheServerRestartsTheClientReconnectsWithBackoffAndFindsTheSameMailbox()
    {
        DovecotUser user = dovecot.CreateUser();
        await dovecot.DeliverAsync(user, ImapClientTests.Message("Before the restart", "Hi\r\n"));
        await using ImapClient first = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.Implicit), None);
        await first.AuthenticateAsync(user.Name, user.Password, None);
        ImapMailbox before = await first.SelectAsync("INBOX", None);

        await dovecot.StopAsync();

        Exception broken = await Assert.ThrowsAnyAsync<Exception>(() => first.NoopAsync(None));
        Assert.True(broken is IOException or SocketException, $"expected a connection error, got {broken}");
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.NoopAsync(None));

        // The caller's loop: try, and after each failure wait as the backoff says; the server comes back meanwhile.
        var backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromSeconds(1) };
        Task? restart = null;
        ImapClient? second = null;
        int failures = 0;
        while (second is null)
        {
            try
            {
                second = await ImapClient.ConnectAsync(dovecot.Options(ImapSecurity.Implicit), None);
            }
            catch (Exception e) when ((e is SocketException or IOException) && failures < 200)
            {
                failures++;
                restart ??= dovecot.StartAsync();
                await Task.Delay(backoff.Delay(failures, Random.Shared));
            }
        }
        await restart!;
        await using (second)
        {
            await second.AuthenticateAsync(user.Name, user.Password, None);
            ImapMailbox after = await second.SelectAsync("INBOX", None);

            Assert.True(failures >= 1);
            Assert.Equal(before.UidValidity, after.UidValidity);
            Assert.Equal(1u, after.Exists);
        }
    }
}
