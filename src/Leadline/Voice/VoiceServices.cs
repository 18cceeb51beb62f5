using Leadline.Hosting;
using Leadline.Jobs;

namespace Leadline.Voice;

public static class VoiceServices
{
    /// <summary>Missed calls texted back, and outbound qualification calls with their dial and finalize jobs.</summary>
    public static IServiceCollection AddVoice(this IServiceCollection services)
    {
        services.AddSettings(VoiceOptions.From);
        services.AddSingleton<MissedCalls>();
        services.AddSingleton<QualificationCalls>();
        services.AddSingleton<QualificationCallTwilio>();
        services.AddJobHandler<QualificationCallPayload, QualificationCallJob>();
        services.AddJobHandler<QualificationCallFinalizePayload, QualificationCallFinalizeJob>();
        return services;
    }

    /// <summary>
    /// Twilio's call webhooks (missed calls and qualification calls), other phone systems' missed-call webhook, and the
    /// calls API (<c>/v1/leads/{id}/call</c>, <c>/v1/leads/{id}/calls</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapVoice(this IEndpointRouteBuilder app)
    {
        app.MapMissedCallWebhooks();
        app.MapMissedCallApi();
        app.MapCalls();
        app.MapQualificationCallWebhooks();
        return app;
    }
}
