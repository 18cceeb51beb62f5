using Leadline.Knowledge;
using Leadline.Replies;
using Leadline.Tenants;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Replies;

/// <summary>Reply contexts without a database, for the engine, template and guardrail tests.</summary>
public static class TestReplies
{
    public const string BookingLink = "https://cal.com/bright-smile/visit";

    public static TenantSettings Settings(string? bookingLink = BookingLink) => new()
    {
        BusinessName = "Bright Smile Dental",
        BookingLink = bookingLink,
        Tone = new ToneSettings { Signature = "Maya at Bright Smile" },
    };

    public static ReplyContext Context(
        string message, TenantSettings? settings = null, string channel = "email", string? firstName = "Jordan")
    {
        var tenant = new Tenant(Guid.NewGuid(), "bright-smile", "Bright Smile", "active", settings ?? Settings(), 7);
        var faqs = SampleFaqs.AsFaqs();
        return new ReplyContext(tenant, new ReplyLead(Guid.NewGuid(), firstName, null, "lead@example.com", null), channel, message, null, [],
            DateTimeOffset.UtcNow)
        {
            Snippets = FaqScorer.Rank(message, faqs, faqs.Count),
        };
    }

    /// <summary>A draft as an engine might write it, citing <paramref name="faqId"/>.</summary>
    public static ReplyDraft Draft(ReplyContext context, string text, string? faqId = "cleaning_price", string? answer = null) =>
        new(text, "en", 0.9, faqId is null ? [] : [faqId], false, "test") { Answer = answer };

    public static Faq Faq(string reference) => SampleFaqs.AsFaqs().Single(f => f.Reference == reference);
}
