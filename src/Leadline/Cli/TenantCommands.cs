using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Cli;

/// <summary><c>leadline tenant ...</c>: the operator's tenant commands, same rules as the HTTP API.</summary>
internal static class TenantCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            throw new CliUsageException("Missing tenant command.");
        }
        await using WebApplication app = Cli.BuildTool();
        await Startup.PrepareAsync(app.Services);
        var store = app.Services.GetRequiredService<TenantStore>();
        var db = app.Services.GetRequiredService<Db>();
        var options = app.Services.GetRequiredService<TenantsOptions>();

        switch (args[0])
        {
            case "create":
                var flags = Flags(args[1..]);
                var request = new CreateTenantRequest(
                    flags.GetValueOrDefault("name"), flags.GetValueOrDefault("slug"), flags.GetValueOrDefault("timezone"),
                    flags.GetValueOrDefault("business-name"), flags.GetValueOrDefault("booking-link"),
                    flags.GetValueOrDefault("default-country"), flags.GetValueOrDefault("currency"), flags.GetValueOrDefault("owner-email"));
                var errors = TenantsApi.Validate(request);
                if (errors.Count > 0)
                {
                    foreach (var (field, messages) in errors)
                    {
                        Console.Error.WriteLine($"--{field.Replace('_', '-')}: {messages[0]}");
                    }
                    return 65;
                }
                if (await store.SlugExistsAsync(request.Slug!, CancellationToken.None))
                {
                    Console.Error.WriteLine($"--slug: a tenant with slug '{request.Slug}' already exists.");
                    return 65;
                }
                var (tenant, key) = await db.InTransactionAsync(tx => store.CreateAsync(tx, request.Slug!, request.Name!.Trim(), TenantsApi.SettingsFrom(request, options)));
                Console.WriteLine($"Created tenant '{tenant.Slug}' ({tenant.Id}).");
                Console.WriteLine($"API key (shown only now): {key}");
                return 0;

            case "list":
                foreach (Tenant t in await store.ListAsync(CancellationToken.None))
                {
                    Console.WriteLine($"{t.Id}  {t.Slug,-24} {t.Status,-7} {t.Name}");
                }
                return 0;

            case "rotate-api-key" or "pause" or "activate" when args.Length >= 2:
                Tenant? found = await store.FindByIdOrSlugAsync(args[1], CancellationToken.None);
                if (found is null)
                {
                    Console.Error.WriteLine($"No tenant '{args[1]}'.");
                    return 65;
                }
                if (args[0] == "rotate-api-key")
                {
                    string fresh = await store.RotateKeyAsync(found.Id, CancellationToken.None);
                    Console.WriteLine($"New API key for '{found.Slug}' (shown only now): {fresh}");
                    return 0;
                }
                await app.Services.GetRequiredService<TenantAdmin>().SetStatusAsync(found.Id.ToString(), args[0] == "pause" ? "paused" : "active", CancellationToken.None);
                Console.WriteLine($"Tenant '{found.Slug}' is now {(args[0] == "pause" ? "paused" : "active")}.");
                return 0;

            case "set-twilio" or "remove-twilio" when args.Length >= 2:
                return await TwilioAsync(app.Services, store, args);

            default:
                throw new CliUsageException($"Unknown or incomplete tenant command '{string.Join(' ', args)}'.");
        }
    }

    /// <summary>
    /// <c>set-twilio ID --account-sid AC... --from-number +1... [--whatsapp-from +1...] [--auth-token T]</c> and
    /// <c>remove-twilio ID</c>. Without --auth-token the token is read from standard input, which keeps it out of the
    /// shell history and the process list.
    /// </summary>
    private static async Task<int> TwilioAsync(IServiceProvider services, TenantStore store, string[] args)
    {
        Tenant? tenant = await store.FindByIdOrSlugAsync(args[1], CancellationToken.None);
        if (tenant is null)
        {
            Console.Error.WriteLine($"No tenant '{args[1]}'.");
            return 65;
        }
        var credentials = services.GetRequiredService<TwilioCredentials>();
        if (args[0] == "remove-twilio")
        {
            bool removed = await credentials.RemoveAsync(tenant, "operator", CancellationToken.None);
            Console.WriteLine(removed
                ? $"Tenant '{tenant.Slug}' now texts through the instance's Twilio account (TWILIO_* variables), if any."
                : $"Tenant '{tenant.Slug}' had no Twilio account of its own.");
            return 0;
        }

        var flags = Flags(args[2..]);
        string? token = flags.GetValueOrDefault("auth-token");
        if (token is null)
        {
            if (!Console.IsInputRedirected)
            {
                Console.Error.Write("Twilio auth token: ");
            }
            token = Console.ReadLine();
        }
        var request = new TwilioCredentialsRequest(
            flags.GetValueOrDefault("account-sid"), token, flags.GetValueOrDefault("from-number"), flags.GetValueOrDefault("whatsapp-from"));
        var errors = TwilioCredentialsApi.Validate(request, out Delivery.TwilioAccount? account);
        if (account is null)
        {
            foreach (var (field, messages) in errors)
            {
                Console.Error.WriteLine($"--{field.Replace('_', '-')}: {messages[0]}");
            }
            return 65;
        }
        await credentials.SetAsync(tenant, account, "operator", CancellationToken.None);
        Console.WriteLine($"Tenant '{tenant.Slug}' now texts through Twilio account {account.AccountSid} "
            + $"(SMS from {account.SmsFrom ?? "none"}, WhatsApp from {account.WhatsAppFrom ?? account.SmsFrom ?? "none"}, "
            + $"auth token {TwilioCredentialsView.Mask(account.AuthToken)}), stored encrypted.");
        return 0;
    }

    private static Dictionary<string, string> Flags(string[] args)
    {
        var flags = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliUsageException($"Unexpected argument '{args[i]}'.");
            }
            string name = args[i][2..];
            int eq = name.IndexOf('=');
            if (eq > 0)
            {
                flags[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                flags[name] = args[++i];
            }
            else
            {
                throw new CliUsageException($"--{name} needs a value.");
            }
        }
        return flags;
    }
}
