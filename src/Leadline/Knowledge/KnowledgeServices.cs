namespace Leadline.Knowledge;

public static class KnowledgeServices
{
    public static IServiceCollection AddKnowledge(this IServiceCollection services) =>
        services.AddSingleton<FaqSearch>();
}
