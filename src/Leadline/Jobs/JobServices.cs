namespace Leadline.Jobs;

public static class JobServices
{
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
