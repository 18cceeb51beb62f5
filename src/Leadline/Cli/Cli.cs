using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Cli;

/// <summary>The command line: <c>serve</c> (default), <c>migrate</c>, <c>tenant ...</c>, <c>help</c>.</summary>
public static class Cli
{
    private const string Usage = """
        Usage: leadline <command> [options]

        Commands:
          serve                      Run the service (migrates first). Default when no command is given.
          migrate                    Apply database migrations and exit.
          tenant create --name NAME --slug SLUG [--timezone TZ] [--booking-link URL]
                        [--business-name NAME] [--default-country CC] [--currency CUR] [--owner-email EMAIL]
                                     Create a tenant and print its API key (shown once).
          tenant list                List tenants.
          tenant rotate-api-key ID|SLUG   Issue a new API key.
          tenant pause ID|SLUG       Stop taking leads for a tenant.
          tenant activate ID|SLUG    Resume a paused tenant.
          tenant set-twilio ID|SLUG --account-sid AC... --from-number +1... [--whatsapp-from +1...] [--auth-token TOKEN]
                                     Give a tenant its own Twilio account, stored encrypted (without --auth-token,
                                     the token is read from standard input).
          tenant remove-twilio ID|SLUG   Go back to the instance's Twilio account (TWILIO_* variables).
          eval --tenants DIR --cases FILE.jsonl [--now 2026-11-21T15:00:00Z] [--engine offline|llm|openai|anthropic]
                  [--json [OUT]]
                                     Run labelled cases through the service and report reply quality.
          help                       Show this text.

        Configuration comes from environment variables and ./.env; see README.md.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        DotEnv.Load(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
        string verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        string[] rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        try
        {
            return verb switch
            {
                "serve" => await ServeAsync(rest),
                "migrate" => await MigrateAsync(),
                "tenant" => await TenantCommands.RunAsync(rest),
                "eval" => await EvalCommand.RunAsync(rest),
                "help" or "--help" or "-h" => Print(Usage, 0),
                _ => Print($"Unknown command '{verb}'.\n\n{Usage}", 64),
            };
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"Configuration error: {e.Message}");
            return 78;
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
            return 64;
        }
    }

    private static int Print(string text, int code)
    {
        (code == 0 ? Console.Out : Console.Error).WriteLine(text);
        return code;
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        WebApplication app = Program.BuildApp(args, adjust: builder =>
        {
            ServerOptions early = ServerOptions.From(builder.Configuration);
            builder.WebHost.UseUrls($"http://{early.Host}:{early.Port}");
        });
        ServerOptions options = app.Services.GetRequiredService<ServerOptions>();

        string? generated = await Startup.PrepareAsync(app.Services);
        string url = $"http://{(options.Host == "0.0.0.0" ? "localhost" : options.Host)}:{options.Port}";
        Console.WriteLine($"""

            Leadline is listening on {url}  (API docs: {url}/docs)
            Database: {app.Services.GetRequiredService<DbUrl>().Display}
            """);
        if (generated is not null)
        {
            Console.WriteLine($"""
                ADMIN_BEARER_TOKEN was not set, so one was generated. It is shown only now; keep it:
                    {generated}
                Authenticate with:  -H "Authorization: Bearer {generated}"
                """);
        }
        else if (options.AdminBearerToken is null)
        {
            Console.WriteLine("Authenticate with the operator token generated on first start (or set ADMIN_BEARER_TOKEN).");
        }
        else
        {
            Console.WriteLine("Authenticate with:  -H \"Authorization: Bearer $ADMIN_BEARER_TOKEN\"");
        }
        Console.WriteLine();
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> MigrateAsync()
    {
        await using WebApplication app = BuildTool();
        var migrator = app.Services.GetRequiredService<Migrator>();
        var db = app.Services.GetRequiredService<Db>();
        int applied = await migrator.MigrateAsync();
        Console.WriteLine(applied == 0
            ? $"{db.Url.Display}: schema is up to date."
            : $"{db.Url.Display}: applied {applied} migration(s).");
        return 0;
    }

    /// <summary>A host with all services but no web server or workers, for one-shot commands.</summary>
    internal static WebApplication BuildTool()
    {
        return Program.BuildApp([], runJobs: false, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
    }
}

public sealed class CliUsageException(string message) : Exception(message);
