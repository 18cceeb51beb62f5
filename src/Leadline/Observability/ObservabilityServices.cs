namespace Leadline.Observability;

public static class ObservabilityServices
{
    /// <summary>Metrics (served at /metrics with health and readiness by <see cref="HealthApi"/>).</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services) =>
        services.AddSingleton<Metrics>();
}
