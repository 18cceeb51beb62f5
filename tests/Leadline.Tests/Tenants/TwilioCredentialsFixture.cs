using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Leadline.Delivery;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leadline.Tests.Tenants;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database with two Twilio accounts on loopback: the instance's (the
/// TWILIO_* variables, <see cref="Instance"/>) and one a tenant brings (<see cref="Own"/>, another SID and token).
/// Like api.twilio.com, both answer at one base URL: requests go to the fake whose account SID is in the path.
/// </summary>
public sealed partial class TwilioCredentialsFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string OwnSid = "ACfedcba9876543210fedcba9876543210";
    public const string OwnToken = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    public const string OwnFrom = "+15005550001";
    public const string OwnWhatsAppFrom = "+15005550002";

    public TwilioCredentialsFixture()
    {
        KeysDirectory = NewKeysDirectory();
        App = Configure(new TApp(), KeysDirectory);
    }

    public FakeTwilio Instance { get; } = new();

    public FakeTwilio Own { get; } = new(OwnSid, OwnToken);

    /// <summary>Every log line of every app this fixture configured, at every level.</summary>
    public LogCapture Logs { get; } = new();

    public string KeysDirectory { get; }

    public TApp App { get; }

    public static string NewKeysDirectory() => Path.Combine(Path.GetTempPath(), "leadline-tests", "keys-" + Guid.NewGuid().ToString("N"));

    /// <summary>Points <paramref name="app"/> at both fakes and at the key ring in <paramref name="keysDirectory"/>.</summary>
    public T Configure<T>(T app, string keysDirectory) where T : LeadlineApp
    {
        var accounts = new Dictionary<string, string> { [FakeTwilio.AccountSid] = Instance.BaseUrl, [OwnSid] = Own.BaseUrl };
        app.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", TwilioFixture<TApp>.SmsFrom)
            .With("TWILIO_WHATSAPP_FROM", TwilioFixture<TApp>.WhatsAppFrom)
            .With("TWILIO_API_BASE_URL", Instance.BaseUrl)
            .With("PUBLIC_BASE_URL", TwilioFixture<TApp>.PublicBaseUrl)
            .With("DATA_PROTECTION_KEYS_DIR", keysDirectory)
            .WithServices(services =>
            {
                services.AddHttpClient(TwilioChannel.HttpClientName).AddHttpMessageHandler(() => new ByAccount(accounts));
                services.AddSingleton<ILoggerProvider>(Logs);
                services.AddLogging(logging => logging.AddFilter<LogCapture>(null, LogLevel.Trace));
            });
        return app;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Instance.DisposeAsync();
        await Own.DisposeAsync();
    }

    /// <summary>Sends each Twilio request to the fake that serves the account named in its path.</summary>
    private sealed partial class ByAccount(IReadOnlyDictionary<string, string> baseUrls) : DelegatingHandler
    {
        [GeneratedRegex("^/2010-04-01/Accounts/([^/]+)/")]
        private static partial Regex AccountPath();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Match account = AccountPath().Match(request.RequestUri!.AbsolutePath);
            if (account.Success && baseUrls.TryGetValue(account.Groups[1].Value, out string? baseUrl))
            {
                request.RequestUri = new Uri(new Uri(baseUrl), request.RequestUri.PathAndQuery);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>An app that opens the database another one used: the same install after a restart.</summary>
public sealed class SameDatabaseApp(LeadlineApp first) : LeadlineApp(first.DbUrl)
{
    public override string Dialect => first.Dialect;
}

/// <summary>Keeps every log line (message and exception text) so tests can look for what must never be logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}
