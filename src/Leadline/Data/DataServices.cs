using Leadline.Hosting;

namespace Leadline.Data;

public static class DataServices
{
    /// <summary>The database of DB_URL (an embedded SQLite file by default) and its migrations.</summary>
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        services.AddSettings(config => DbUrl.Parse(config.Text("DB_URL")));
        services.AddSingleton(sp => new Db(sp.GetRequiredService<DbUrl>()));
        services.AddSingleton<Migrator>();
        return services;
    }
}
