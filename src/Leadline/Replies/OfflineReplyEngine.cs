using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>The default engine: answers from the tenant's FAQs with its templates, no model or key needed.</summary>
public sealed class OfflineReplyEngine : IReplyEngine
{
    public string Name => "offline";

    public Task<ReplyDraft> DraftAsync(ReplyContext context, CancellationToken ct)
    {
        TenantSettings s = context.Tenant.Settings;
        string business = string.IsNullOrWhiteSpace(s.BusinessName) ? context.Tenant.Name : s.BusinessName;
        string greeting = context.Lead.FirstName is { Length: > 0 } name ? $"Hi {name}," : "Hi,";
        string cta = s.BookingLink is { } link ? $"You can book a time that suits you here: {link}" : "We will be in touch shortly.";
        string text = $"{greeting}\n\nThanks for reaching out to {business}. {cta}\n\n{s.Tone.Signature ?? business}";
        return Task.FromResult(new ReplyDraft(text, "en", 0, [], true, Name));
    }
}
