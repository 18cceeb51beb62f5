using Leadline.Hosting;

namespace Leadline.Tenants;

public static class TenantsServices
{
    /// <summary>Tenants, their API keys and settings, and the key ring that encrypts their own provider credentials.</summary>
    public static IServiceCollection AddTenants(this IServiceCollection services)
    {
        services.AddSettings(TenantsOptions.From);
        services.AddSingleton<TenantStore>();
        services.AddSingleton<TenantAdmin>();
        services.AddSingleton<TwilioCredentials>();
        services.AddKeyRing();
        return services;
    }
}
