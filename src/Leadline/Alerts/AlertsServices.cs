using Leadline.Hosting;
using Leadline.Jobs;

namespace Leadline.Alerts;

public static class AlertsServices
{
    /// <summary>The owner's and the operator's alerts, each sent by its own job.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSettings(AlertsOptions.From);
        services.AddSingleton<OwnerAlerts>();
        services.AddJobHandler<OwnerAlertPayload, OwnerAlertJob>();
        services.AddJobHandler<OwnerSmsPayload, OwnerSmsJob>();
        services.AddJobHandler<BudgetAlertPayload, BudgetAlertJob>();
        services.AddJobHandler<OutboundCapAlertPayload, OutboundCapAlertJob>();
        return services;
    }
}
