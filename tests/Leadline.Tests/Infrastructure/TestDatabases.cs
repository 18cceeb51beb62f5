using Npgsql;

namespace Leadline.Tests.Infrastructure;

/// <summary>
/// Fresh databases for tests: a new SQLite file, or a new database on the PostgreSQL server that ./test.sh
/// starts (its URL is in LEADLINE_TEST_PG). Without that server the PostgreSQL tests fail and say why.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "LEADLINE_TEST_PG";

    public static string NewSqliteUrl()
    {
        string dir = Path.Combine(Path.GetTempPath(), "leadline-tests");
        Directory.CreateDirectory(dir);
        return "sqlite:///" + Path.Combine(dir, $"{Guid.NewGuid():N}.db");
    }

    public static string NewPostgresUrl()
    {
        string server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the suite with ./test.sh, which starts a PostgreSQL server on a temporary port.");
        var uri = new Uri(server);
        string name = $"leadline_test_{Guid.NewGuid():N}";
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = uri.UserInfo.Split(':')[0],
            Password = uri.UserInfo.Contains(':') ? uri.UserInfo.Split(':', 2)[1] : null,
            Database = uri.AbsolutePath.Trim('/'),
            Pooling = false,
        };
        using var connection = new NpgsqlConnection(builder.ToString());
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"{uri.Scheme}://{uri.UserInfo}@{uri.Host}:{uri.Port}/{name}";
    }
}
