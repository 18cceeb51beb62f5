namespace Leadline.Hosting;

public static class HostingServices
{
    /// <summary>The HTTP conventions every feature shares: JSON, problem details, OpenAPI, the clock, the operator token.</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services)
    {
        services.AddSettings(ServerOptions.From);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AdminToken>();
        return services;
    }

    /// <summary>
    /// What every request passes before its endpoint: errors become problem+json (never a stack trace), the caller is
    /// authenticated against the endpoint's rule, and the API describes itself at /openapi/v1.json and /docs.
    /// </summary>
    public static WebApplication UseHosting(this WebApplication app)
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
        return app;
    }
}
