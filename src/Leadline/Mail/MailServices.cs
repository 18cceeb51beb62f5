using Leadline.Hosting;

namespace Leadline.Mail;

public static class MailServices
{
    /// <summary>
    /// Registers e-mail intake: the mailbox store and API, SendGrid Inbound Parse, and, where jobs run
    /// (<paramref name="readMailboxes"/>), the <see cref="MailboxPoller"/>; it reads nothing in role api or with
    /// POLLER_ENABLED=false.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, bool readMailboxes)
    {
        services.AddSettings(MailOptions.From);
        services.AddSingleton<MailSecretProtector>();
        services.AddSingleton<Mailboxes>();
        services.AddSingleton<MailboxStatus>();
        services.AddSingleton<InboundSecrets>();
        services.AddSingleton<MailIntake>();
        services.AddSingleton<MailboxReader>();
        if (readMailboxes)
        {
            services.AddHostedService<MailboxPoller>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapMail(this IEndpointRouteBuilder app)
    {
        app.MapMailboxes();
        app.MapSendGridInbound();
        return app;
    }
}
