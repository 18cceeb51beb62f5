using Leadline.Alerts;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadline.Tests.Hosting;

public class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
        .Build();

    /// <summary>What every start does with the settings: build the app and check every feature's options.</summary>
    private static async Task StartAsync(params (string Key, string Value)[] values)
    {
        await using WebApplication app = Program.BuildApp([.. values.Select(v => $"--{v.Key}={v.Value}")], runJobs: false);
        SettingsServices.CheckAll(app.Services);
    }

    [Theory]
    [InlineData("PORT", "eighty")]
    [InlineData("PORT", "70000")]
    [InlineData("DB_URL", "mysql://root@localhost/db")]
    [InlineData("DB_URL", "postgresql://user@host")]
    [InlineData("DEDUPE_WINDOW_MIN", "-5")]
    [InlineData("SMTP_URL", "http://mail.example.com")]
    [InlineData("OWNER_ALERT_EMAIL", "owner-at-example")]
    [InlineData("LOG_LEVEL", "LOUD")]
    [InlineData("ADMIN_BEARER_TOKEN", "short")]
    [InlineData("SENDGRID_BASE_URL", "not a url")]
    [InlineData("ROLE", "janitor")]
    [InlineData("TWILIO_ACCOUNT_SID", "AC123")]
    [InlineData("TWILIO_FROM_NUMBER", "555-1234")]
    [InlineData("QUIET_HOURS", "22-07")]
    [InlineData("OWNER_ALERT_SMS_TO", "owner")]
    [InlineData("LLM_PROVIDER", "gpt")]
    [InlineData("JOB_LEASE_SECONDS", "0")]
    [InlineData("POLLER_ENABLED", "sometimes")]
    public async Task ABadSettingStopsStartUpNamingTheVariable(string key, string value)
    {
        var e = await Assert.ThrowsAsync<ConfigException>(() => StartAsync((key, value)));
        Assert.StartsWith(key + ":", e.Message);
        Assert.Equal(key, e.Variable);
    }

    [Fact]
    public void DefaultsNeedNoConfiguration()
    {
        IConfiguration none = Config();
        Assert.Equal(8000, ServerOptions.From(none).Port);
        DbUrl database = DbUrl.Parse(none.Text("DB_URL"));
        Assert.Equal(Dialect.Sqlite, database.Dialect);
        Assert.EndsWith(Path.Combine("data", "leadline.db"), database.Display);
        Assert.Equal("log", DeliveryOptions.From(none).EmailChannel);
        Assert.Equal(10, IntakeOptions.From(none).DedupeWindowMinutes);
    }

    [Theory]
    [InlineData("postgresql+psycopg://postgres:postgres@db:5432/leadbot", "db", 5432, "leadbot")]
    [InlineData("postgres://u:p%40ss@10.0.0.5:6543/leads?sslmode=disable", "10.0.0.5", 6543, "leads")]
    public void SeedStylePostgresUrlsAreUnderstood(string url, string host, int port, string database)
    {
        DbUrl parsed = DbUrl.Parse(url);
        Assert.Equal(Dialect.Postgres, parsed.Dialect);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(parsed.ConnectionString);
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.DoesNotContain("ss", parsed.Display.Replace("leads", ""));
    }

    [Fact]
    public void PostgresStatementsArePreparedAutomaticallyUnlessTheUrlTurnsItOff()
    {
        var prepared = new Npgsql.NpgsqlConnectionStringBuilder(DbUrl.Parse("postgresql://u@db/leads").ConnectionString);
        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.Equal(2, prepared.AutoPrepareMinUsages);
        var off = new Npgsql.NpgsqlConnectionStringBuilder(DbUrl.Parse("postgresql://u@db/leads?max_auto_prepare=0&pool_size=20").ConnectionString);
        Assert.Equal(0, off.MaxAutoPrepare);
        Assert.Equal(20, off.MaxPoolSize);
    }

    [Theory]
    [InlineData("postgresql://u@db/leads?max_auto_prepare=lots", "max_auto_prepare")]
    [InlineData("postgresql://u@db/leads?pool_size=0", "pool_size")]
    [InlineData("postgresql://u@db/leads?max_pool_size=-3", "max_pool_size")]
    public void ABadNumberInTheUrlNamesTheSettingAndTheVariable(string url, string key)
    {
        var error = Assert.Throws<ConfigException>(() => DbUrl.Parse(url));
        Assert.Contains("DB_URL", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void DotEnvFillsVariablesThatAreNotAlreadySet()
    {
        string file = Path.GetTempFileName();
        string name = "LEADLINE_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        File.WriteAllText(file, $"# comment\n{name}=calendly   # inline comment\nexport {name}_Q=\"quoted # kept\"\n");
        DotEnv.Load(file);
        Assert.Equal("calendly", Environment.GetEnvironmentVariable(name));
        Assert.Equal("quoted # kept", Environment.GetEnvironmentVariable(name + "_Q"));
    }

    [Fact]
    public async Task AGeneratedOperatorTokenIsShownOnceAndKeepsWorkingAfterARestart()
    {
        string url = Leadline.Tests.Infrastructure.TestDatabases.NewSqliteUrl();
        string token;
        await using (var db = new Db(DbUrl.Parse(url)))
        {
            await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
            var first = new AdminToken();
            token = (await first.InitialiseAsync(db, null, CancellationToken.None))!;
            Assert.NotNull(token);
            Assert.True(first.Matches(token));
        }
        await using (var db = new Db(DbUrl.Parse(url)))
        {
            var restarted = new AdminToken();
            Assert.Null(await restarted.InitialiseAsync(db, null, CancellationToken.None));
            Assert.True(restarted.Matches(token));
            Assert.False(restarted.Matches(token + "x"));
        }
    }

    [Fact]
    public async Task MigrationsArePendingUntilApplied()
    {
        await using var db = new Db(DbUrl.Parse(Leadline.Tests.Infrastructure.TestDatabases.NewSqliteUrl()));
        var migrator = new Migrator(db, NullLogger<Migrator>.Instance);
        Assert.NotEmpty(await migrator.PendingAsync());
        Assert.True(await migrator.MigrateAsync() > 0);
        Assert.Empty(await migrator.PendingAsync());
        Assert.Equal(0, await migrator.MigrateAsync());
    }

    [Fact]
    public void WithAModelProviderMoreJobsRunAtOnceUnlessWorkersIsSet()
    {
        Assert.Equal(16, JobsOptions.From(Config()).Workers);
        Assert.Equal(64, JobsOptions.From(Config(("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"))).Workers);
        Assert.Equal(64, JobsOptions.From(Config(("ANTHROPIC_API_KEY", "sk-ant-x"))).Workers);
        Assert.Equal(8, JobsOptions.From(Config(("OPENAI_API_KEY", "sk-x"), ("WORKERS", "8"))).Workers);
    }

    [Fact]
    public async Task GoodSettingsStartAndEveryFeatureReadsItsOwn()
    {
        await StartAsync(("PORT", "8123"), ("DEDUPE_WINDOW_MIN", "0"), ("SMTP_URL", "smtp://relay.example.com:587"));
        IConfiguration config = Config(("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"), ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_FROM_NUMBER", "+1 (500) 555-0006"), ("QUIET_HOURS", "22:00-07:00"));
        Assert.Equal("+15005550006", DeliveryOptions.From(config).Twilio!.SmsFrom);
        QuietHours quiet = AlertsOptions.From(config).QuietHours!;
        Assert.True(quiet.Contains(new TimeOnly(23, 30)));
        Assert.True(quiet.Contains(new TimeOnly(6, 59)));
        Assert.False(quiet.Contains(new TimeOnly(7, 0)));
    }

    [Fact]
    public void ATwilioSidNeedsItsToken()
    {
        var e = Assert.Throws<ConfigException>(() => DeliveryOptions.From(Config(("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"))));
        Assert.Equal("TWILIO_AUTH_TOKEN", e.Variable);
    }
}
