using System.Diagnostics.Metrics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Leadline.Observability;

public static class ObservabilityServices
{
    /// <summary>
    /// Metrics: the service's own (<see cref="Metrics"/>, <see cref="JobGauges"/>), ASP.NET Core's requests, HttpClient's
    /// calls and the runtime's, all exported in the Prometheus text format at /metrics (<see cref="MapMetrics"/>).
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<Metrics>();
        services.AddSingleton<JobGauges>();
        services.AddHostedService<MetricsAtStart>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Metrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(ConfigureExporter));
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) =>
            {
                // A meter is found by name in the whole process, so two apps in one process (the tests run many)
                // would each count the other's events. Meters from a factory carry it as their scope: keep only
                // this app's, and the process-wide ones (the runtime's) that no factory made.
                IMeterFactory own = sp.GetRequiredService<IMeterFactory>();
                builder.AddView(i => i.Meter.Scope is null || ReferenceEquals(i.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
            });
        return services;
    }

    /// <summary>/metrics, open like /healthz: Prometheus scrapes without credentials, and no series holds personal data.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").WithTags("Health").WithName("Metrics")
            .WithSummary("Prometheus text exposition.");

    private static void ConfigureExporter(PrometheusAspNetCoreOptions options)
    {
        // Each scrape collects afresh: a cached answer would hide the event a test (or an operator) just caused.
        options.ScrapeResponseCacheDurationMilliseconds = 0;
        // No otel_scope_name label on every series: the names already say whose they are, and the labels stay the
        // ones the contract lists (intake_total{tenant,channel,status}).
        options.ScopeInfoEnabled = false;
    }
}
