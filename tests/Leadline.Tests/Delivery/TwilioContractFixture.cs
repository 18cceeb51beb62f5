using System.Collections.Concurrent;
using Leadline.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Delivery;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database texting through Prism, which mocks Twilio's official description
/// (<c>../shared/specs/twilio/twilio_api_v2010.json</c>) and rejects any request it does not allow. One Prism process
/// per test class; without LEADLINE_TEST_PRISM nothing starts and the tests are skipped.
/// </summary>
public sealed class TwilioContractFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string Document = "twilio_api_v2010.json";
    public const string SmsFrom = "+15005550006";
    public const string PublicBaseUrl = "https://leads.example.com";

    private PrismMock? _prism;
    private TApp? _app;

    /// <summary>Every call the app's Twilio client made, with Prism's answer.</summary>
    public ConcurrentQueue<RecordedExchange> Exchanges { get; } = new();

    public PrismMock Prism => _prism ?? throw new InvalidOperationException($"{PrismMock.Variable} is not set");

    public TApp App => _app ?? throw new InvalidOperationException($"{PrismMock.Variable} is not set");

    public async Task InitializeAsync()
    {
        if (PrismMock.Executable is null)
        {
            return;
        }
        _prism = await PrismMock.StartAsync(PrismMock.SpecFile(Document));
        _app = new TApp();
        _app.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", SmsFrom)
            .With("TWILIO_API_BASE_URL", _prism.BaseUrl)
            .With("PUBLIC_BASE_URL", PublicBaseUrl)
            .WithServices(services => services.AddHttpClient(TwilioChannel.HttpClientName)
                .AddHttpMessageHandler(() => new RecordingHandler(Exchanges)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_prism is not null)
        {
            await _prism.DisposeAsync();
        }
    }
}
