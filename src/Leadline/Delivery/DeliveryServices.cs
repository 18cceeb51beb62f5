namespace Leadline.Delivery;

public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSingleton<IOutboundChannel, LogChannel>();
        services.AddSingleton<ChannelRouter>();
        return services;
    }
}
