using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Replies.Llm;

namespace Leadline.Replies;

public static class RepliesServices
{
    /// <summary>The reply job and the engines that draft replies: offline, and the model providers of LLM_*.</summary>
    public static IServiceCollection AddReplies(this IServiceCollection services)
    {
        services.AddSettings(LlmOptions.From);
        services.AddSingleton<OfflineReplyEngine>();
        services.AddSingleton<ReplyEngines>();
        services.AddJobHandler<ReplyJobPayload, ReplyJob>();
        return services;
    }
}
