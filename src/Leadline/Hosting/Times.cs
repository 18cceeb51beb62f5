namespace Leadline;

/// <summary>The database keeps times as Unix epoch milliseconds; the API shows them as ISO 8601 UTC.</summary>
public static class Times
{
    public static DateTimeOffset From(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromNullable(long? ms) => ms is long v ? From(v) : null;
}
