using Leadline.Knowledge;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Knowledge;

/// <summary>A small dental clinic's FAQs, some with Arabic translations: the data retrieval and reply tests share.</summary>
public static class SampleFaqs
{
    /// <summary>A "Bright Smile" dental tenant with these FAQs, a booking link and, when given, settings (PUT /v1/admin/settings).</summary>
    public static async Task<TestTenant> TenantAsync(LeadlineApp app, string bookingLink, object? settings = null)
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "Bright Smile", booking_link = bookingLink });
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", Items)).JsonAsync(System.Net.HttpStatusCode.OK);
        if (settings is not null)
        {
            await (await tenant.Client.PutAsync("/v1/admin/settings", new StringContent(
                System.Text.Json.JsonSerializer.Serialize(settings, TestJson.Options), System.Text.Encoding.UTF8, "application/json")))
                .JsonAsync(System.Net.HttpStatusCode.OK);
        }
        return tenant;
    }

    public static readonly object[] Items =
    [
        new
        {
            external_id = "hours",
            question = "What are your opening hours?",
            answer = "We are open Monday to Friday 8am-5pm and Saturday 9am-1pm.",
            translations = new Dictionary<string, object>
            {
                ["ar"] = new { question = "ما هي ساعات العمل؟", answer = "نعمل من الاثنين إلى الجمعة من 8 صباحاً حتى 5 مساءً، والسبت من 9 صباحاً حتى 1 ظهراً." },
            },
        },
        new
        {
            external_id = "cleaning_price",
            question = "How much does a teeth cleaning cost?",
            answer = "A routine cleaning and check-up is $120, or $95 with our membership plan.",
            tags = new[] { "hygiene" },
            translations = new Dictionary<string, object>
            {
                ["ar"] = new { question = "كم تكلفة تنظيف الأسنان؟", answer = "تكلفة التنظيف الروتيني مع الفحص 120 دولاراً، أو 95 دولاراً مع خطة العضوية." },
            },
        },
        new
        {
            external_id = "insurance",
            question = "Do you accept dental insurance?",
            answer = "Yes, we accept most PPO insurance plans, including Delta Dental and Cigna.",
        },
        new
        {
            external_id = "emergency",
            question = "Do you see dental emergencies?",
            answer = "Yes. Call (555) 201-3344 for a same-day emergency appointment for severe pain, swelling or a broken tooth.",
        },
        new
        {
            external_id = "location",
            question = "Where is the clinic located?",
            answer = "We are at 42 Harbor Street, next to the central library, with free parking behind the building.",
        },
        new
        {
            external_id = "whitening",
            question = "Do you offer teeth whitening?",
            answer = "In-office whitening is $350 and take-home whitening trays are $199.",
            translations = new Dictionary<string, object>
            {
                ["ar"] = new { question = "هل تقدمون خدمة تبييض الأسنان؟", answer = "تبييض الأسنان في العيادة بسعر 350 دولاراً، والقوالب المنزلية بسعر 199 دولاراً." },
            },
        },
        new
        {
            external_id = "children",
            question = "Do you treat children?",
            answer = "Yes, we see patients of all ages, and check-ups for children under 12 are 20% off.",
        },
    ];

    /// <summary>The same FAQs as <see cref="Faq"/> values, for tests that score without a database.</summary>
    public static List<Faq> AsFaqs() =>
        Items.Select(item =>
        {
            var json = System.Text.Json.JsonSerializer.SerializeToElement(item);
            var translations = new Dictionary<string, FaqText>();
            if (json.TryGetProperty("translations", out var t))
            {
                foreach (var language in t.EnumerateObject())
                {
                    translations[language.Name] = new FaqText(
                        language.Value.GetProperty("question").GetString()!, language.Value.GetProperty("answer").GetString()!);
                }
            }
            var tags = json.TryGetProperty("tags", out var tg) ? tg.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            return new Faq(Guid.NewGuid(), json.GetProperty("external_id").GetString(), json.GetProperty("question").GetString()!,
                json.GetProperty("answer").GetString()!, tags, translations);
        }).ToList();
}
