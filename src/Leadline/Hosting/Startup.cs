using Leadline.Data;
using Leadline.Tenants;

namespace Leadline.Hosting;

/// <summary>
/// What every start does before serving: check every setting, migrate, make sure the operator token and default
/// tenant exist, and check that the key ring decrypts the stored tenant credentials and mailboxes.
/// </summary>
public static class Startup
{
    public static async Task<string?> PrepareAsync(IServiceProvider services, CancellationToken ct = default)
    {
        SettingsServices.CheckAll(services);
        var db = services.GetRequiredService<Db>();
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        string? configured = services.GetRequiredService<ServerOptions>().AdminBearerToken;
        string? generated = await services.GetRequiredService<AdminToken>().InitialiseAsync(db, configured, ct);
        await services.GetRequiredService<TwilioCredentialProtector>().CheckStoredAsync(db, ct);
        await services.GetRequiredService<Mail.MailSecretProtector>().CheckStoredAsync(db, ct);

        var store = services.GetRequiredService<TenantStore>();
        if (!await store.SlugExistsAsync(Tenant.DefaultSlug, ct))
        {
            var settings = new TenantSettings { BusinessName = "Our team", BookingLink = services.GetRequiredService<TenantsOptions>().BookingLink };
            try
            {
                await db.InTransactionAsync(tx => store.CreateAsync(tx, Tenant.DefaultSlug, "Default", settings), ct);
            }
            catch (System.Data.Common.DbException)
            {
                // Another instance may have created it at the same moment; anything else is a real failure.
                if (!await store.SlugExistsAsync(Tenant.DefaultSlug, ct))
                {
                    throw;
                }
            }
        }
        return generated;
    }
}
