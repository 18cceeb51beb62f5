using Leadline.Admin;
using Leadline.Alerts;
using Leadline.Cli;
using Leadline.Compliance;
using Leadline.Conversations;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Knowledge;
using Leadline.Leads;
using Leadline.Mail;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;
using Leadline.Voice;

// One executable: the command line (Cli/) picks the verb (serve by default, migrate, tenant, eval); every verb that
// needs the service builds it with BuildApp below.
return await Cli.RunAsync(args);

/// <summary>The service, in the order a reader needs it: configuration, each feature's services, the route table.</summary>
public partial class Program
{
    /// <param name="args">Settings as <c>--NAME=value</c> on top of environment variables and .env.</param>
    /// <param name="runJobs">False in role api and for one-shot commands: no job workers and no mailbox readers.</param>
    /// <param name="adjust">Last changes before the app is built: more configuration, a clock, listen addresses.</param>
    public static WebApplication BuildApp(string[] args, bool runJobs = true, Action<WebApplicationBuilder>? adjust = null)
    {
        // Configuration: environment variables, ./.env (loaded by the command line) and args. Each feature reads
        // its own variables into its own options record, checked at start (Startup.PrepareAsync).
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.AddLeadlineLogging();

        // Features, each registering its options, services, job handlers and background loops.
        builder.Services
            .AddHosting()
            .AddObservability()
            .AddData()
            .AddJobs(runJobs)
            .AddTenants()
            .AddIntake()
            .AddKnowledge()
            .AddConversations()
            .AddReplies()
            .AddDelivery()
            .AddAlerts()
            .AddVoice()
            .AddMail(readMailboxes: runJobs);
        adjust?.Invoke(builder);
        WebApplication app = builder.Build();

        // The route table: errors, authentication and the API description first, then each feature's endpoints.
        app.UseHosting();
        app.MapHealth();
        app.MapTenants();
        app.MapTwilioCredentials();
        app.MapIntake();
        app.MapTwilioWebhooks();
        app.MapLeads();
        app.MapAudit();
        app.MapConversations();
        app.MapApprovals();
        app.MapConsent();
        app.MapVoice();
        app.MapFaqs();
        app.MapAdmin();
        app.MapMail();
        return app;
    }
}
