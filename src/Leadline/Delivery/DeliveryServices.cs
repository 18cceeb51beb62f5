using Leadline.Hosting;
using Leadline.Jobs;

namespace Leadline.Delivery;

public static class DeliveryServices
{
    /// <summary>
    /// Registers every channel; <see cref="ChannelRouter"/> picks the e-mail one from the configuration
    /// (SMTP_URL, else SENDGRID_API_KEY, else log) and the text ones from the tenant's Twilio account.
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSettings(DeliveryOptions.From);
        services.AddJobHandler<DeliverJobPayload, DeliverJob>();
        services.AddSingleton<OutboundCap>();
        services.AddSingleton<IOutboundChannel, LogChannel>();

        services.AddSingleton(sp => new SmtpChannel(
            SmtpOptions.Load(sp.GetRequiredService<DeliveryOptions>().SmtpUrl, sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SmtpChannel>>()));
        services.AddSingleton<IOutboundChannel>(sp => sp.GetRequiredService<SmtpChannel>());

        // A timeout and no retry handler: the job queue is the one place that retries (ARCHITECTURE.md, Jobs).
        services.AddHttpClient(SendGridChannel.HttpClientName, (sp, client) =>
        {
            Uri baseUrl = sp.GetRequiredService<DeliveryOptions>().SendGridBaseUrl;
            client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            client.Timeout = SendGridChannel.Timeout;
        });
        services.AddSingleton<SendGridChannel>();
        services.AddSingleton<IOutboundChannel>(sp => sp.GetRequiredService<SendGridChannel>());

        services.AddHttpClient(TwilioChannel.HttpClientName, (sp, client) =>
        {
            Uri baseUrl = sp.GetRequiredService<DeliveryOptions>().TwilioApiBaseUrl;
            client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            client.Timeout = TwilioChannel.Timeout;
        });
        services.AddSingleton<IOutboundChannel>(sp => ActivatorUtilities.CreateInstance<TwilioChannel>(sp, TwilioChannel.Sms));
        services.AddSingleton<IOutboundChannel>(sp => ActivatorUtilities.CreateInstance<TwilioChannel>(sp, TwilioChannel.WhatsApp));

        services.AddSingleton<TwilioAccounts>();
        services.AddSingleton<ChannelRouter>();
        return services;
    }
}
