using Leadline.Hosting;

namespace Leadline.Jobs;

public static class JobsServices
{
    /// <summary>
    /// The queue (every feature enqueues into it) and, where jobs run (<paramref name="runJobs"/>: roles all and
    /// worker), the workers and PostgreSQL's LISTEN wake-up. Job handlers are registered by their own features.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, bool runJobs)
    {
        services.AddSettings(JobsOptions.From);
        services.AddSingleton<JobSignal>();
        services.AddSingleton(sp =>
        {
            JobsOptions options = sp.GetRequiredService<JobsOptions>();
            return new JobQueueOptions(options.BackoffBase, options.BackoffMax);
        });
        services.AddSingleton<JobQueue>();
        if (runJobs)
        {
            services.AddSingleton<JobWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
            services.AddHostedService<PostgresJobListener>();
        }
        return services;
    }
}
