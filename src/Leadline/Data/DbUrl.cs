using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leadline.Data;

/// <summary>
/// Parses <c>DB_URL</c> in the forms the seed documents use: <c>postgresql+psycopg://user:pass@host:5432/db</c>,
/// <c>postgres://...</c>, <c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c> or a plain file path.
/// </summary>
public sealed record DbUrl(Dialect Dialect, string ConnectionString, string Display)
{
    public const string DefaultSqlitePath = "data/leadline.db";

    public static DbUrl Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Sqlite(DefaultSqlitePath);
        }

        value = value.Trim();
        int schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return Sqlite(value);
        }

        // A driver suffix such as "+psycopg" or "+asyncpg" names a Python driver; it means nothing here.
        string scheme = value[..schemeEnd].Split('+')[0].ToLowerInvariant();
        switch (scheme)
        {
            case "sqlite":
                string path = value[(schemeEnd + 3)..];
                if (path.StartsWith('/'))
                {
                    path = path[1..];
                }
                if (path.Length == 0)
                {
                    throw new ConfigException("DB_URL", "a sqlite URL needs a file path, e.g. sqlite:///data/leadline.db");
                }
                return Sqlite(path);
            case "postgres":
            case "postgresql":
                return Postgres(value[(schemeEnd + 3)..]);
            default:
                throw new ConfigException("DB_URL", $"unsupported scheme '{scheme}'; use postgresql://user:pass@host:port/db or sqlite:///path/to/file.db");
        }
    }

    private static DbUrl Sqlite(string path)
    {
        string full = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new DbUrl(Dialect.Sqlite, builder.ToString(), $"sqlite:{full}");
    }

    private static DbUrl Postgres(string rest)
    {
        Uri uri;
        try
        {
            uri = new Uri("postgresql://" + rest);
        }
        catch (UriFormatException e)
        {
            throw new ConfigException("DB_URL", $"not a valid PostgreSQL URL ({e.Message}); expected postgresql://user:pass@host:port/db");
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (string.IsNullOrEmpty(uri.Host) || database.Length == 0)
        {
            throw new ConfigException("DB_URL", "a PostgreSQL URL needs a host and a database name: postgresql://user:pass@host:port/db");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            MaxPoolSize = 50,
            // The same few dozen statements run for every lead: prepared once per connection, PostgreSQL parses and
            // plans them once (docs/benchmarks.md). max_auto_prepare=0 turns it off (pgbouncer in transaction mode).
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]).ToLowerInvariant();
            string val = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(val.Replace("-", ""), ignoreCase: true);
                    break;
                case "max_auto_prepare":
                    builder.MaxAutoPrepare = Count(key, val, 0, 1000);
                    break;
                case "pool_size":
                case "max_pool_size":
                    builder.MaxPoolSize = Count(key, val, 1, 1000);
                    break;
            }
        }

        return new DbUrl(Dialect.Postgres, builder.ToString(), $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static int Count(string key, string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new ConfigException("DB_URL", $"{key} must be a whole number from {min} to {max}, not '{value}'");
}
