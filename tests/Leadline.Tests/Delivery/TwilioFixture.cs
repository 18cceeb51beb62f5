using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>The app on <typeparamref name="TApp"/>'s database, texting through a <see cref="FakeTwilio"/>.</summary>
public sealed class TwilioFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string SmsFrom = "+15005550006";
    public const string WhatsAppFrom = "+14155238886";
    public const string PublicBaseUrl = "https://leads.example.com";

    public TwilioFixture()
    {
        Twilio = new FakeTwilio();
        App = new TApp();
        App.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", SmsFrom)
            .With("TWILIO_WHATSAPP_FROM", WhatsAppFrom)
            .With("TWILIO_API_BASE_URL", Twilio.BaseUrl)
            .With("PUBLIC_BASE_URL", PublicBaseUrl);
    }

    public FakeTwilio Twilio { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
