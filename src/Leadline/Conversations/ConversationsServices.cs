namespace Leadline.Conversations;

public static class ConversationsServices
{
    /// <summary>Hand-off to a person and back; the conversation and approval endpoints need nothing else.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services) =>
        services.AddSingleton<Escalation>();
}
