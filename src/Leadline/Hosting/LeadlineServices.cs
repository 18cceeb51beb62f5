using Leadline.Admin;
using Leadline.Alerts;
using Leadline.Compliance;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Knowledge;
using Leadline.Leads;
using Leadline.Mail;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;
using Leadline.Voice;

namespace Leadline.Hosting;

public static class LeadlineServices
{
    /// <summary>Registers everything the service needs. Options are read when first resolved, from all configuration sources.</summary>
    public static WebApplicationBuilder AddLeadline(this WebApplicationBuilder builder, bool runWorkers = true)
    {
        IServiceCollection services = builder.Services;
        string level = LeadlineOptions.Load(builder.Configuration).LogLevel;
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

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => LeadlineOptions.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new Db(sp.GetRequiredService<LeadlineOptions>().Database));
        services.AddSingleton<Migrator>();
        services.AddSingleton<AdminToken>();
        services.AddSingleton<Metrics>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<TenantAdmin>();
        services.AddSingleton<TwilioCredentials>();

        services.AddSingleton<JobSignal>();
        services.AddSingleton(sp =>
        {
            IConfiguration config = sp.GetRequiredService<IConfiguration>();
            int baseMs = int.TryParse(config["JOB_BACKOFF_MS"], out int b) && b > 0 ? b : 1000;
            return new JobQueueOptions(TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMinutes(10));
        });
        services.AddSingleton<JobQueue>();
        services.AddJobHandler<ReplyJobPayload, ReplyJob>();
        services.AddJobHandler<DeliverJobPayload, DeliverJob>();
        services.AddJobHandler<OwnerAlertPayload, OwnerAlertJob>();
        services.AddJobHandler<BudgetAlertPayload, BudgetAlertJob>();
        services.AddJobHandler<OwnerSmsPayload, OwnerSmsJob>();
        services.AddJobHandler<OutboundCapAlertPayload, OutboundCapAlertJob>();
        services.AddSingleton<OutboundCap>();
        if (runWorkers)
        {
            services.AddSingleton<JobWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
            services.AddHostedService<PostgresJobListener>();
        }

        services.AddSingleton<IntakeService>();
        services.AddSingleton<IntakeRateLimit>();
        services.AddSingleton<MissedCalls>();
        services.AddSingleton<Escalation>();
        services.AddSingleton<OfflineReplyEngine>();
        services.AddSingleton<Replies.Llm.ReplyEngines>();
        services.AddKnowledge();
        services.AddDelivery();
        services.AddQualificationCalls();
        services.AddMail(readMailboxes: runWorkers);
        return builder;
    }

    public static WebApplication MapLeadline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => StatusProblems.WriteAsync(context.HttpContext));
        app.UseRouting();
        app.UseLeadlineAuth();

        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Leadline v1");
            o.DocumentTitle = "Leadline API";
        });
        app.MapHealth();
        app.MapTenants();
        app.MapTwilioCredentials();
        app.MapIntake();
        app.MapLeads();
        app.MapConversations();
        app.MapApprovals();
        app.MapAudit();
        app.MapConsent();
        app.MapTwilioWebhooks();
        app.MapMissedCallWebhooks();
        app.MapMissedCallApi();
        app.MapQualificationCalls();
        app.MapFaqs();
        app.MapAdmin();
        app.MapMail();
        return app;
    }
}
