using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Replies;

/// <summary>A lead in, a reply out: retrieval, the offline engine and guardrails through the real reply job.</summary>
public abstract class ReplyFlowTests(LeadlineApp app)
{
    private const string Link = "https://cal.com/bright-smile/visit";

    private async Task<(TestTenant Tenant, int Version)> DentistAsync(object? extra = null)
    {
        TestTenant tenant = await app.CreateTenantAsync(extra ?? new { booking_link = Link, business_name = "Bright Smile Dental" });
        JsonElement imported = await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", SampleFaqs.Items)).JsonAsync(HttpStatusCode.OK);
        return (tenant, imported.GetProperty("config_version").GetInt32());
    }

    /// <summary>Sends a message from a new lead (so replies never mix) and returns the one reply to it.</summary>
    private static async Task<JsonElement> ReplyToAsync(TestTenant tenant, string message, string channel = "email")
    {
        string unique = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = "evt_" + Guid.NewGuid().ToString("N"),
            email = channel == "email" ? $"lead{unique}@example.com" : null,
            phone = channel == "sms" ? $"+1555{unique}" : null,
            first_name = "Jordan",
            message,
            channel,
        })).JsonAsync(HttpStatusCode.Accepted);
        JsonElement lead = await tenant.Client.WaitForLeadAsync(accepted.GetProperty("lead_id").GetGuid(), l => l.Outbound().Any());
        return Assert.Single(lead.Outbound());
    }

    [Fact]
    public async Task ALeadAskingAnFaqGetsItsAnswerAndTheBookingLink()
    {
        var (tenant, version) = await DentistAsync();

        JsonElement reply = await ReplyToAsync(tenant, "Hi there, how much do you charge for a teeth cleaning?");

        string body = reply.GetProperty("body").GetString()!;
        Assert.Contains("A routine cleaning and check-up is $120, or $95 with our membership plan.", body);
        Assert.Contains(Link, body);
        Assert.StartsWith("Hi Jordan,", body);
        Assert.Equal(["cleaning_price"], reply.GetProperty("faq_ids").EnumerateArray().Select(x => x.GetString()));
        Assert.False(reply.GetProperty("fallback").GetBoolean());
        Assert.Equal(version, reply.GetProperty("config_version").GetInt32());
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task AnOffTopicLeadGetsTheFallbackWithTheBookingLinkAndNoNumbers()
    {
        var (tenant, _) = await DentistAsync();

        JsonElement reply = await ReplyToAsync(tenant, "Do you also repair electric scooters? Mine is broken.");

        string body = reply.GetProperty("body").GetString()!;
        Assert.True(reply.GetProperty("fallback").GetBoolean());
        Assert.Empty(reply.GetProperty("faq_ids").EnumerateArray());
        Assert.Contains(Link, body);
        Assert.Contains("Bright Smile Dental", body);
        Assert.DoesNotMatch(@"\d", body.Replace(Link, ""));
    }

    [Fact]
    public async Task AnArabicLeadGetsTheArabicAnswer()
    {
        var (tenant, _) = await DentistAsync();

        JsonElement reply = await ReplyToAsync(tenant, "السلام عليكم، كم تكلفة تنظيف الأسنان عندكم؟");

        string body = reply.GetProperty("body").GetString()!;
        Assert.Contains("تكلفة التنظيف الروتيني مع الفحص 120 دولاراً", body);
        Assert.Contains(Link, body);
        Assert.StartsWith("مرحباً Jordan،", body);
        Assert.Equal(["cleaning_price"], reply.GetProperty("faq_ids").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task WithoutABookingLinkTheReplySaysAPersonWillFollowUp()
    {
        var (tenant, _) = await DentistAsync(new { business_name = "Bright Smile Dental" });
        await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { booking_link = "" })).JsonAsync(HttpStatusCode.OK);

        JsonElement reply = await ReplyToAsync(tenant, "Do you offer teeth whitening?");

        string body = reply.GetProperty("body").GetString()!;
        Assert.Contains("In-office whitening is $350", body);
        Assert.Contains("will follow up", body);
        Assert.DoesNotContain("http", body);
    }

    [Fact]
    public async Task TheTenantsTemplateThresholdAndToneShapeTheReply()
    {
        var (tenant, _) = await DentistAsync();
        await (await tenant.Client.PostJsonAsync("/v1/admin/templates", new { name = "reply.en", source = "{{greeting}} {{answer}} Book: {{booking_link}}" }))
            .JsonAsync(HttpStatusCode.OK);
        JsonElement tone = await (await tenant.Client.PutAsJsonAsync("/v1/admin/tone", new { style = "formal" })).JsonAsync(HttpStatusCode.OK);

        JsonElement reply = await ReplyToAsync(tenant, "Do you accept dental insurance?");
        Assert.Equal($"Dear Jordan, Yes, we accept most PPO insurance plans, including Delta Dental and Cigna. Book: {Link}",
            reply.GetProperty("body").GetString());
        Assert.Equal(tone.GetProperty("config_version").GetInt32(), reply.GetProperty("config_version").GetInt32());

        await (await tenant.Client.PutAsJsonAsync("/v1/admin/settings", new { confidence_threshold = 1.0 })).JsonAsync(HttpStatusCode.OK);
        JsonElement strict = await ReplyToAsync(tenant, "Do you take Cigna insurance?");
        Assert.True(strict.GetProperty("fallback").GetBoolean());
        Assert.StartsWith("Dear Jordan,", strict.GetProperty("body").GetString());
    }

    [Fact]
    public async Task AnSmsReplyFitsTwoSegmentsAndKeepsTheLink()
    {
        var (tenant, _) = await DentistAsync();
        string longAnswer = "Yes, we take most PPO plans. " + string.Join(" ", Enumerable.Repeat("We file the claim for you and explain every line of the bill.", 6));
        await (await tenant.Client.PutAsJsonAsync("/v1/admin/faqs/insurance", new { answer = longAnswer })).JsonAsync(HttpStatusCode.OK);

        JsonElement reply = await ReplyToAsync(tenant, "Do you accept dental insurance?", channel: "sms");

        string body = reply.GetProperty("body").GetString()!;
        Assert.True(body.Length <= 306, $"{body.Length} characters");
        Assert.Contains("Yes, we take most PPO plans.", body);
        Assert.Contains(Link, body);
        Assert.False(reply.GetProperty("fallback").GetBoolean());
    }
}

public sealed class SqliteReplyFlowTests(SqliteApp app) : ReplyFlowTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresReplyFlowTests(PostgresApp app) : ReplyFlowTests(app), IClassFixture<PostgresApp>;
