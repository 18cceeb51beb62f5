using Leadline.Data;
using Leadline.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadline.Tests.Hosting;

public class ConfigurationTests
{
    private static LeadlineOptions Load(params (string Key, string Value)[] values) =>
        LeadlineOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

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
    public void ABadSettingStopsStartUpNamingTheVariable(string key, string value)
    {
        var e = Assert.Throws<ConfigException>(() => Load((key, value)));
        Assert.StartsWith(key + ":", e.Message);
        Assert.Equal(key, e.Variable);
    }

    [Fact]
    public void DefaultsNeedNoConfiguration()
    {
        LeadlineOptions options = Load();
        Assert.Equal(8000, options.Port);
        Assert.Equal(Dialect.Sqlite, options.Database.Dialect);
        Assert.EndsWith(Path.Combine("data", "leadline.db"), options.Database.Display);
        Assert.Equal("log", options.EmailChannel);
        Assert.Equal(10, options.DedupeWindowMinutes);
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
        Assert.Equal(16, Load().Workers);
        Assert.Equal(64, Load(("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")).Workers);
        Assert.Equal(64, Load(("ANTHROPIC_API_KEY", "sk-ant-x")).Workers);
        Assert.Equal(8, Load(("OPENAI_API_KEY", "sk-x"), ("WORKERS", "8")).Workers);
    }

    [Theory]
    [InlineData("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_ACCOUNT_SID")]
    [InlineData("TWILIO_FROM_NUMBER", "555-1234", "TWILIO_FROM_NUMBER")]
    [InlineData("QUIET_HOURS", "22-07", "QUIET_HOURS")]
    [InlineData("OWNER_ALERT_SMS_TO", "owner", "OWNER_ALERT_SMS_TO")]
    public void BadTwilioSettingsStopStartUpNamingTheVariable(string key, string value, string named)
    {
        var e = Assert.Throws<ConfigException>(() => Load((key, value)));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void TwilioSettingsAreReadAndTheSidNeedsItsToken()
    {
        LeadlineOptions options = Load(("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"), ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_FROM_NUMBER", "+1 (500) 555-0006"), ("QUIET_HOURS", "22:00-07:00"));
        Assert.Equal("+15005550006", options.TwilioFromNumber);
        Assert.True(options.QuietHours!.Contains(new TimeOnly(23, 30)));
        Assert.True(options.QuietHours.Contains(new TimeOnly(6, 59)));
        Assert.False(options.QuietHours.Contains(new TimeOnly(7, 0)));
        Assert.Throws<ConfigException>(() => Load(("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef")));
    }
}
