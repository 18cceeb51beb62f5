using Leadline.Hosting;

namespace Leadline.Intake;

public static class IntakeServices
{
    /// <summary>The intake transaction every channel goes through, and the per-sender intake limit.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSettings(IntakeOptions.From);
        services.AddSingleton<IntakeService>();
        services.AddSingleton<IntakeRateLimit>();
        return services;
    }
}
