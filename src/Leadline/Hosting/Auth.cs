using Leadline.Tenants;

namespace Leadline.Hosting;

/// <summary>Endpoint metadata: who may call it.</summary>
public sealed record AccessRule(bool OperatorOnly);

/// <summary>
/// Resolves the caller from <c>Authorization: Bearer</c> or <c>X-API-Key</c> before the endpoint runs:
/// the operator token, or a tenant's API key. Tenant-scoped endpoints called with the operator token act on
/// the tenant named by <c>X-Tenant</c> (id or slug), else on the <c>default</c> tenant.
/// </summary>
public static class Auth
{
    public const string TenantHeader = "X-Tenant";

    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(OperatorOnly: false));

    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(OperatorOnly: true));

    public static IApplicationBuilder UseLeadlineAuth(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        AccessRule? rule = context.GetEndpoint()?.Metadata.GetMetadata<AccessRule>();
        if (rule is null)
        {
            await next(context);
            return;
        }

        string? credential = ReadCredential(context.Request);
        if (credential is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(context, 401, "Authentication required",
                "Send the operator token or a tenant API key as 'Authorization: Bearer <token>' or 'X-API-Key: <key>'.");
            return;
        }

        var tenants = context.RequestServices.GetRequiredService<TenantStore>();
        var admin = context.RequestServices.GetRequiredService<AdminToken>();
        if (admin.Matches(credential))
        {
            context.Items["operator"] = true;
            if (!rule.OperatorOnly)
            {
                string target = context.Request.Headers[TenantHeader].FirstOrDefault() is { Length: > 0 } named ? named : Tenant.DefaultSlug;
                Tenant? acting = await tenants.FindByIdOrSlugAsync(target, context.RequestAborted);
                if (acting is null)
                {
                    await Problems.WriteAsync(context, 404, "Tenant not found",
                        $"No tenant '{target}' exists. Name an existing tenant (id or slug) in the {TenantHeader} header.");
                    return;
                }
                context.Items[typeof(Tenant)] = acting;
                await NextWithTenantScopeAsync(context, next, acting);
                return;
            }
            await next(context);
            return;
        }

        Tenant? tenant = await tenants.FindByKeyAsync(credential, context.RequestAborted);
        if (tenant is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await Problems.WriteAsync(context, 401, "Invalid credentials",
                "The token is neither the operator token nor a current tenant API key. Keys change when rotated.");
            return;
        }
        if (rule.OperatorOnly)
        {
            await Problems.WriteAsync(context, 403, "Operator token required",
                "This endpoint manages tenants; call it with the operator token (ADMIN_BEARER_TOKEN), not a tenant API key.");
            return;
        }
        context.Items[typeof(Tenant)] = tenant;
        await NextWithTenantScopeAsync(context, next, tenant);
    });

    private static async Task NextWithTenantScopeAsync(HttpContext context, RequestDelegate next, Tenant tenant)
    {
        // Every log line of the request carries the tenant, next to the request id ASP.NET Core adds.
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Leadline.Requests");
        using (logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = tenant.Id }))
        {
            await next(context);
        }
    }

    private static string? ReadCredential(HttpRequest request)
    {
        string? header = request.Headers.Authorization.FirstOrDefault();
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            string token = header[7..].Trim();
            return token.Length > 0 ? token : null;
        }
        return request.Headers["X-API-Key"].FirstOrDefault() is { Length: > 0 } key ? key.Trim() : null;
    }
}
