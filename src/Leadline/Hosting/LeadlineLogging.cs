namespace Leadline.Hosting;

public static class LeadlineLogging
{
    /// <summary>JSON console logs at LOG_LEVEL; ASP.NET Core's own chatter only from Warning.</summary>
    public static WebApplicationBuilder AddLeadlineLogging(this WebApplicationBuilder builder)
    {
        string level = ServerOptions.From(builder.Configuration).LogLevel;
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        LogLevel minimum = Enum.Parse<LogLevel>(level);
        LogLevel AtLeast(LogLevel floor) => floor > minimum ? floor : minimum;
        builder.Logging.SetMinimumLevel(minimum);
        builder.Logging.AddFilter("Microsoft.AspNetCore", AtLeast(LogLevel.Warning));
        // Data Protection warns on every new key that it is stored unencrypted: by design, the key ring's directory
        // permissions protect it (docs/operations.md), so the warning would only teach operators to ignore warnings.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", AtLeast(LogLevel.Error));
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return builder;
    }
}
