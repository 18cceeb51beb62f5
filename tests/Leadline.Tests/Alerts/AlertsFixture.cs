using System.Net;
using System.Text.Json;
using Leadline.Delivery;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Alerts;

/// <summary>
/// The app on a database with a clock the tests move, texting through a <see cref="FakeTwilio"/> and e-mailing
/// through a <see cref="TestSmtpServer"/>, with the instance's owner quiet hours (QUIET_HOURS) and an operator address
/// set, and 64 job workers: what owner alerts, intake limits and the outbound cap need. Tests of one class run one after another, so a
/// test may move the clock; it waits for its own work to finish first.
/// </summary>
public abstract class AlertsFixture : IAsyncLifetime
{
    public const string Operator = "operator@leadline.test";
    public const string InstanceQuietHours = "22:00-07:00";

    protected AlertsFixture(LeadlineApp app)
    {
        Twilio = new FakeTwilio();
        Smtp = new TestSmtpServer(SmtpTls.StartTls, SmtpFixture<SqliteApp>.User, SmtpFixture<SqliteApp>.Password);
        Clock = new ShiftableClock(DateTimeOffset.UtcNow);
        App = app;
        App.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", TwilioFixture<SqliteApp>.SmsFrom)
            .With("TWILIO_API_BASE_URL", Twilio.BaseUrl)
            .With("PUBLIC_BASE_URL", TwilioFixture<SqliteApp>.PublicBaseUrl)
            .With("SMTP_URL", $"smtp://{SmtpFixture<SqliteApp>.User}:{Uri.EscapeDataString(SmtpFixture<SqliteApp>.Password)}@127.0.0.1:{Smtp.Port}")
            .With(SmtpOptions.InsecureLoopbackVariable, "true")
            .With("EMAIL_FROM", SmtpFixture<SqliteApp>.Sender)
            .With("OPERATOR_ALERT_EMAIL", Operator)
            .With("QUIET_HOURS", InstanceQuietHours)
            // As many job workers as with a model provider: the outbound cap must hold with that many sending at once.
            .With("WORKERS", "64")
            .WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public FakeTwilio Twilio { get; }

    public TestSmtpServer Smtp { get; }

    public ShiftableClock Clock { get; }

    public LeadlineApp App { get; }

    /// <summary>Moves the clock to <paramref name="minutes"/> past the next full hour in <paramref name="zone"/>.</summary>
    public void MoveToNextHour(TimeZoneInfo zone, int minutes = 1)
    {
        DateTimeOffset now = Clock.GetUtcNow();
        DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
        var hour = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
        Clock.Advance(hour.AddHours(1).AddMinutes(minutes) - now);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class AlertsFixture<TApp>() : AlertsFixture(new TApp()) where TApp : LeadlineApp, new();

/// <summary>Small steps the alert and limit tests share.</summary>
public static class AlertSteps
{
    /// <summary>Changes the tenant's settings (PUT merges: only the given fields change).</summary>
    public static async Task SetAsync(this TestTenant tenant, object settings) =>
        await (await tenant.Client.PutAsync("/v1/admin/settings", JsonBody(settings))).JsonAsync(HttpStatusCode.OK);

    public static HttpContent JsonBody(object body) => System.Net.Http.Json.JsonContent.Create(body, options: TestJson.Options);

    /// <summary>The lead's audit events of one kind, oldest first.</summary>
    public static async Task<List<JsonElement>> AuditAsync(this TestTenant tenant, Guid leadId, string kind)
    {
        JsonElement events = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/audit?kind={kind}")).JsonAsync(HttpStatusCode.OK);
        return [.. events.EnumerateArray()];
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(25);
        }
        return true;
    }

    /// <summary>One counter's value on /metrics, 0 when it has not been counted.</summary>
    public static async Task<double> MetricAsync(LeadlineApp app, string name, string labels)
    {
        string text = await app.CreateClient().GetStringAsync("/metrics");
        string prefix = name + labels + " ";
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
