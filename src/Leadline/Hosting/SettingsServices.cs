namespace Leadline.Hosting;

/// <summary>
/// Registers a feature's options, read from configuration when first needed and checked at start-up: every start
/// (serve, migrate, the tenant commands) resolves them all in <see cref="CheckAll"/> before doing anything, so a bad
/// value anywhere stops the process with a <see cref="ConfigException"/> naming its variable, not later mid-request.
/// </summary>
public static class SettingsServices
{
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, Func<IConfiguration, T> read) where T : class
    {
        services.AddSingleton(sp => read(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(new SettingsCheck(typeof(T)));
        return services;
    }

    /// <summary>Reads every registered options record; the first bad variable throws.</summary>
    public static void CheckAll(IServiceProvider services)
    {
        foreach (SettingsCheck check in services.GetServices<SettingsCheck>())
        {
            services.GetRequiredService(check.Type);
        }
    }

    private sealed record SettingsCheck(Type Type);
}
