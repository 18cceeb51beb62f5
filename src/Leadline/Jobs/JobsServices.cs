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
        services.AddSingleton<JobQueue>();
        if (runJobs)
        {
            services.AddSingleton<JobWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
            services.AddHostedService<PostgresJobListener>();
        }
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> as the handler of <typeparamref name="TPayload"/>'s kind. The handler
    /// is a singleton of its own type too, for code that calls it directly.
    /// </summary>
    public static IServiceCollection AddJobHandler<TPayload, THandler>(this IServiceCollection services)
        where TPayload : class, IJobPayload
        where THandler : class, IJobHandler<TPayload>
    {
        services.AddSingleton<THandler>();
        services.AddSingleton(sp => JobDispatch.For<TPayload>(sp.GetRequiredService<THandler>()));
        return services;
    }
}
