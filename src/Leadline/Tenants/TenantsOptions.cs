using Leadline.Data;
using Leadline.Hosting;

namespace Leadline.Tenants;

/// <summary>
/// BOOKING_LINK, the booking link of the default tenant and of new tenants that name none, and
/// DATA_PROTECTION_KEYS_DIR, the key ring that encrypts tenants' provider credentials and mailbox passwords.
/// </summary>
public sealed record TenantsOptions
{
    public string? BookingLink { get; init; }

    /// <summary>
    /// Default: <c>keys</c> next to the SQLite file, or <c>data/keys</c> with PostgreSQL. It is kept apart from the
    /// database so that a copy of the database alone does not reveal the credentials; every instance needs the same one.
    /// </summary>
    public string KeysDirectory { get; init; } = Path.GetFullPath(Path.Combine("data", "keys"));

    public static TenantsOptions From(IConfiguration config) => new()
    {
        BookingLink = config.HttpUrl("BOOKING_LINK")?.ToString(),
        KeysDirectory = KeysDirectoryFrom(config),
    };

    /// <summary>DATA_PROTECTION_KEYS_DIR as a full path, or its default for DB_URL.</summary>
    public static string KeysDirectoryFrom(IConfiguration config)
    {
        string? value = config.Text("DATA_PROTECTION_KEYS_DIR");
        DbUrl database = DbUrl.Parse(config.Text("DB_URL"));
        if (value is null)
        {
            string? sqliteFile = database.Dialect == Dialect.Sqlite
                ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource
                : null;
            return Path.Combine(Path.GetDirectoryName(sqliteFile) is { Length: > 0 } next ? next : Path.GetFullPath("data"), "keys");
        }
        string full;
        try
        {
            full = Path.GetFullPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"'{value}' is not a directory path");
        }
        if (File.Exists(full))
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"'{full}' is a file; give a directory (it is created when missing)");
        }
        return full;
    }
}
