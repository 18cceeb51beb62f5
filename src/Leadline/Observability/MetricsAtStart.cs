using OpenTelemetry.Metrics;

namespace Leadline.Observability;

/// <summary>
/// Creates the service's instruments once the exporter listens, and puts every counter at 0, so the first scrape
/// already shows every contract name. Registered after OpenTelemetry's own start-up, which builds the exporter.
/// </summary>
public sealed class MetricsAtStart(MeterProvider exporter, Metrics metrics, JobGauges jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = exporter;
        _ = jobs;
        metrics.StartAtZero();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
