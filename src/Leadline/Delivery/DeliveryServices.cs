using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Delivery;

public static class DeliveryServices
{
    /// <summary>
    /// Registers every channel; <see cref="ChannelRouter"/> picks the e-mail one from the configuration
    /// (SMTP_URL, else SENDGRID_API_KEY, else log) and the text ones from the tenant's Twilio account.
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSingleton<IOutboundChannel, LogChannel>();

        services.AddSingleton(sp => new SmtpChannel(
            SmtpOptions.Load(sp.GetRequiredService<LeadlineOptions>(), sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SmtpChannel>>()));
        services.AddSingleton<IOutboundChannel>(sp => sp.GetRequiredService<SmtpChannel>());

        // A timeout and no retry handler: the job queue is the one place that retries (ARCHITECTURE.md, Jobs).
        services.AddHttpClient(SendGridChannel.HttpClientName, (sp, client) =>
        {
            Uri baseUrl = sp.GetRequiredService<LeadlineOptions>().SendGridBaseUrl;
            client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            client.Timeout = SendGridChannel.Timeout;
        });
        services.AddSingleton<SendGridChannel>();
        services.AddSingleton<IOutboundChannel>(sp => sp.GetRequiredService<SendGridChannel>());

        services.AddHttpClient(TwilioChannel.HttpClientName, (sp, client) =>
        {
            Uri baseUrl = sp.GetRequiredService<LeadlineOptions>().TwilioApiBaseUrl;
            client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            client.Timeout = TwilioChannel.Timeout;
        });
        services.AddSingleton<IOutboundChannel>(sp => ActivatorUtilities.CreateInstance<TwilioChannel>(sp, TwilioChannel.Sms));
        services.AddSingleton<IOutboundChannel>(sp => ActivatorUtilities.CreateInstance<TwilioChannel>(sp, TwilioChannel.WhatsApp));

        // A tenant's own Twilio account is stored encrypted; the key ring decrypts it.
        services.AddKeyRing();
        services.AddSingleton<TwilioAccounts>();
        services.AddSingleton<ChannelRouter>();
        return services;
    }
}
