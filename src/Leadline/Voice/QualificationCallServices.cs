using Leadline.Jobs;

namespace Leadline.Voice;

public static class QualificationCallServices
{
    /// <summary>Outbound qualification calls: starting them, the dial and finalize jobs, the Twilio Calls client.</summary>
    public static IServiceCollection AddQualificationCalls(this IServiceCollection services)
    {
        services.AddSingleton<QualificationCalls>();
        services.AddSingleton<QualificationCallTwilio>();
        services.AddJobHandler<QualificationCallPayload, QualificationCallJob>();
        services.AddJobHandler<QualificationCallFinalizePayload, QualificationCallFinalizeJob>();
        return services;
    }

    /// <summary>The calls API (<c>/v1/leads/{id}/call</c>, <c>/v1/leads/{id}/calls</c>) and Twilio's webhooks for the calls.</summary>
    public static IEndpointRouteBuilder MapQualificationCalls(this IEndpointRouteBuilder app)
    {
        app.MapCalls();
        app.MapQualificationCallWebhooks();
        return app;
    }
}
