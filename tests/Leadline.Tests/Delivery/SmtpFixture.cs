using Leadline.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Delivery;

/// <summary>
/// The app on <typeparamref name="TApp"/>'s database, sending through a <see cref="TestSmtpServer"/> that wants
/// STARTTLS and a login (the password has characters that must be URL-encoded), with owner alerts on.
/// </summary>
public sealed class SmtpFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string Owner = "owner@leadline.test";
    public const string Sender = "replies@leadline.test";
    public const string User = "leadline";
    public const string Password = "s3cret:p@ss/word";

    public SmtpFixture()
    {
        Smtp = new TestSmtpServer(SmtpTls.StartTls, User, Password);
        App = new TApp();
        App.With("SMTP_URL", $"smtp://{User}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Smtp.Port}")
            .With(SmtpOptions.InsecureLoopbackVariable, "true")
            .With("EMAIL_FROM", Sender)
            .With("OWNER_ALERT_EMAIL", Owner);
    }

    public TestSmtpServer Smtp { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
