using Leadline.Replies;

namespace Leadline.Tests.Replies;

public sealed class OfflineReplyEngineTests
{
    private static Task<ReplyDraft> DraftAsync(ReplyContext context) => new OfflineReplyEngine().DraftAsync(context, CancellationToken.None);

    [Fact]
    public async Task AMatchAboveTheThresholdIsAnsweredWithThatFaq()
    {
        ReplyDraft draft = await DraftAsync(TestReplies.Context("What do you charge for a teeth cleaning?"));
        Assert.False(draft.Fallback);
        Assert.Equal(["cleaning_price"], draft.FaqIds);
        Assert.Contains(TestReplies.Faq("cleaning_price").Answer, draft.Text);
        Assert.Contains(TestReplies.BookingLink, draft.Text);
        Assert.InRange(draft.Confidence, 0.35, 1);
        Assert.Equal("offline", draft.Engine);
    }

    [Fact]
    public async Task BelowTheTenantsThresholdItSendsTheFallback()
    {
        var strict = TestReplies.Settings() with { ConfidenceThreshold = 0.99 };
        ReplyDraft draft = await DraftAsync(TestReplies.Context("What do you charge for a cleaning?", strict));
        Assert.True(draft.Fallback);
        Assert.Empty(draft.FaqIds);
        Assert.Contains(TestReplies.BookingLink, draft.Text);
        Assert.True(draft.Confidence > 0);
    }

    [Fact]
    public async Task AnOffTopicMessageGetsTheFallbackWithNoNumbers()
    {
        ReplyDraft draft = await DraftAsync(TestReplies.Context("Do you sell electric scooters?"));
        Assert.True(draft.Fallback);
        Assert.DoesNotMatch(@"\d", draft.Text.Replace(TestReplies.BookingLink, ""));
    }

    [Fact]
    public async Task AnArabicLeadGetsTheArabicTranslation()
    {
        ReplyDraft draft = await DraftAsync(TestReplies.Context("كم تكلفة تنظيف الأسنان؟"));
        Assert.Equal("ar", draft.Language);
        Assert.Contains(TestReplies.Faq("cleaning_price").In("ar").Answer, draft.Text);
        Assert.StartsWith("مرحباً Jordan،", draft.Text);
    }
}
