namespace Leadline.Hosting;

/// <summary>
/// How this process is reached and who may operate it: PORT, HOST, ADMIN_BEARER_TOKEN, ROLE and LOG_LEVEL.
/// </summary>
public sealed record ServerOptions
{
    public int Port { get; init; } = 8000;
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The operator token; null has one generated on first start and kept (hashed) in the database.</summary>
    public string? AdminBearerToken { get; init; }

    /// <summary><c>all</c> (default) serves HTTP and runs jobs; <c>api</c> only serves; <c>worker</c> only runs jobs.</summary>
    public string Role { get; init; } = "all";

    /// <summary>The .NET name of the least severe level logged (LOG_LEVEL, e.g. INFO is Information).</summary>
    public string LogLevel { get; init; } = "Information";

    public bool RunsJobs => Role != "api";

    public static ServerOptions From(IConfiguration config)
    {
        var options = new ServerOptions
        {
            Port = config.Int("PORT", 8000, 1, 65535),
            Host = config.Text("HOST") ?? "127.0.0.1",
            AdminBearerToken = config.Text("ADMIN_BEARER_TOKEN"),
            Role = config.OneOf("ROLE", "all", "api", "worker") ?? "all",
            LogLevel = Level(config.Text("LOG_LEVEL")),
        };
        if (options.AdminBearerToken is { Length: < 16 })
        {
            throw new ConfigException("ADMIN_BEARER_TOKEN", "must be at least 16 characters; leave it unset to have one generated");
        }
        return options;
    }

    private static string Level(string? value) => value?.ToUpperInvariant() switch
    {
        null => "Information",
        "TRACE" => "Trace",
        "DEBUG" => "Debug",
        "INFO" or "INFORMATION" => "Information",
        "WARN" or "WARNING" => "Warning",
        "ERROR" => "Error",
        "CRITICAL" => "Critical",
        _ => throw new ConfigException("LOG_LEVEL", $"'{value}' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    };
}
