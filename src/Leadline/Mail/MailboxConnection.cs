using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;

namespace Leadline.Mail;

/// <summary>
/// One MailKit connection to a mailbox, logged in and with its folder open for reading and flagging, plus what the
/// reader needs to know of it: which marks the folder keeps, and whether new mail was reported. MailKit speaks the
/// protocol (TLS, STARTTLS, SASL, IDLE, literals); this holds our choices about it.
/// </summary>
public sealed class MailboxConnection : IAsyncDisposable
{
    /// <summary>How long any one command, a large FETCH included, may wait for the server.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ImapClient _client;
    private CancellationTokenSource? _idling;

    private MailboxConnection(ImapClient client, ImapFolder folder)
    {
        _client = client;
        Folder = folder;
        // EXISTS may come during any command (a SEARCH, a STORE): remembered, it ends the next IDLE before it starts.
        folder.CountChanged += (_, _) =>
        {
            HasNews = true;
            _idling?.Cancel();
        };
    }

    public ImapFolder Folder { get; }

    public bool SupportsIdle => _client.Capabilities.HasFlag(ImapCapabilities.Idle);

    /// <summary>Whether the server reported a change of the message count since <see cref="HasNews"/> was last cleared.</summary>
    public bool HasNews { get; set; }

    /// <summary>
    /// Connects as <paramref name="mailbox"/> says, logs in and opens its folder read-write. With
    /// <paramref name="pinned"/>, the server's certificate must be exactly that one and nothing else about it is
    /// checked (a self-hosted server's self-signed certificate); without, MailKit validates it the normal way.
    /// </summary>
    /// <exception cref="MailKit.Security.AuthenticationException">The server refused the login.</exception>
    public static async Task<MailboxConnection> OpenAsync(MailboxSettings mailbox, X509Certificate2? pinned, CancellationToken ct)
    {
        var client = new ImapClient { Timeout = (int)CommandTimeout.TotalMilliseconds };
        try
        {
            if (pinned is not null)
            {
                byte[] expected = pinned.RawData;
                client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected);
            }
            await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Security, ct);
            // OAuth needs a token we do not have; offered first, it would be tried with the password and fail.
            client.AuthenticationMechanisms.Remove("XOAUTH2");
            client.AuthenticationMechanisms.Remove("OAUTHBEARER");
            await client.AuthenticateAsync(mailbox.Username, mailbox.Password, ct);
            IMailFolder folder = mailbox.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
                ? client.Inbox
                : await client.GetFolderAsync(mailbox.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadWrite, ct);
            return new MailboxConnection(client, (ImapFolder)folder);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Whether the folder keeps <paramref name="flag"/> after the session (PERMANENTFLAGS).</summary>
    public bool Keeps(MessageFlags flag) => Folder.Access == FolderAccess.ReadWrite && (Folder.PermanentFlags.HasFlag(flag) || SaidNothing);

    /// <summary>
    /// Whether the folder keeps the keyword: servers that refuse keywords (PERMANENTFLAGS without <c>\*</c>) would keep
    /// it for the session only, or refuse it; then the reader remembers the highest UID itself.
    /// </summary>
    public bool Keeps(string keyword) => Folder.Access == FolderAccess.ReadWrite
        && (Folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || Folder.PermanentKeywords.Contains(keyword) || SaidNothing);

    /// <summary>
    /// Waits with IDLE until the server reports new mail or <paramref name="slice"/> ends; mail reported before the
    /// call returns at once.
    /// </summary>
    public async Task IdleAsync(TimeSpan slice, CancellationToken ct)
    {
        using var idling = new CancellationTokenSource(slice);
        _idling = idling;
        try
        {
            if (!HasNews)
            {
                await _client.IdleAsync(idling.Token, ct);
            }
        }
        finally
        {
            _idling = null;
        }
    }

    public Task NoopAsync(CancellationToken ct) => _client.NoOpAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DisconnectAsync(quit: true, quick.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ImapProtocolException or ImapCommandException or InvalidOperationException)
            {
                // A connection that is already broken has nothing left to say goodbye on.
            }
        }
        _client.Dispose();
    }

    // A server that sends no PERMANENTFLAGS allows all flags to be kept (RFC 3501 section 7.1).
    private bool SaidNothing => Folder.PermanentFlags == MessageFlags.None && Folder.PermanentKeywords.Count == 0;
}
