using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>The app on <typeparamref name="TApp"/>'s database, sending through a <see cref="FakeSendGrid"/>, with owner alerts on.</summary>
public sealed class SendGridFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string Owner = "owner@leadline.test";
    public const string Sender = "replies@leadline.test";

    public SendGridFixture()
    {
        SendGrid = new FakeSendGrid();
        App = new TApp();
        App.With("SENDGRID_API_KEY", FakeSendGrid.ApiKey)
            .With("SENDGRID_BASE_URL", SendGrid.BaseUrl)
            .With("EMAIL_FROM", Sender)
            .With("OWNER_ALERT_EMAIL", Owner);
    }

    public FakeSendGrid SendGrid { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await SendGrid.DisposeAsync();
    }
}
