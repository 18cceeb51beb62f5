using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Leadline.Hosting;

namespace Leadline.Tenants;

/// <summary>
/// The ASP.NET Core Data Protection key ring that encrypts tenants' provider credentials, kept as XML files in
/// DATA_PROTECTION_KEYS_DIR. The keys live outside the database on purpose: a database dump or backup alone does not
/// reveal a tenant's credentials. The price is that the directory must be backed up with the database, and every
/// instance sharing one database must see the same directory (a shared volume); a key ring that lacks the key a
/// credential was encrypted with cannot decrypt it, and that tenant then texts through no account at all.
/// </summary>
public static class KeyRing
{
    /// <summary>
    /// Data Protection isolates applications by content root unless told otherwise; the service, the CLI and instances
    /// started from other directories must read each other's payloads, so they share one application name.
    /// </summary>
    public const string ApplicationName = "leadline";

    public static IServiceCollection AddKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<TenantsOptions, ILoggerFactory>((keys, options, logs) =>
        {
            EnsureDirectory(options.KeysDirectory);
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(options.KeysDirectory), logs);
        });
        services.TryAddSingleton<TwilioCredentialProtector>();
        return services;
    }

    /// <summary>
    /// Creates the directory readable by this user only (the keys are stored unencrypted inside it: the directory's
    /// permissions are what protects them); a directory that cannot be created stops start-up naming the variable.
    /// </summary>
    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("DATA_PROTECTION_KEYS_DIR", $"the key directory '{path}' cannot be created: {e.Message}");
        }
    }
}
