using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// The fixed sentences of a qualification call, spoken (greeting, "didn't catch that", goodbye, the answer to an
/// opt-out) and in the text that follows it, in English and Arabic. They promise nothing beyond a link or a person
/// following up; the questions are the tenant's own. <c>{name}</c> and <c>{business}</c> are filled in here.
/// </summary>
internal sealed record QualificationCallWording(
    string Greeting, string GreetingNoName, string Intro, string NotCaught, string Goodbye, string GoodbyeNoLink,
    string ThanksForTalking, string SorryWeMissedYou, string OptedOut)
{
    private static readonly QualificationCallWording s_english = new(
        "Hi {name}, this is {business}, calling about your inquiry.",
        "Hi, this is {business}, calling about your inquiry.",
        "I have a few quick questions, so we can help you faster.",
        "Sorry, I didn't catch that.",
        "Thank you, that's all. We'll text you a link to book a time. Goodbye!",
        "Thank you, that's all. Someone from our team will follow up shortly. Goodbye!",
        "Thanks for taking our call!",
        "Sorry we missed you: we called about your inquiry to {business}.",
        "Understood, we will not contact you again. Goodbye.");

    private static readonly QualificationCallWording s_arabic = new(
        "مرحباً {name}، معك {business} بخصوص استفسارك.",
        "مرحباً، معك {business} بخصوص استفسارك.",
        "لدي بعض الأسئلة السريعة لنتمكن من مساعدتك بشكل أسرع.",
        "عذراً، لم أسمعك جيداً.",
        "شكراً لك، هذا كل شيء. سنرسل لك رابطاً لحجز موعد. مع السلامة!",
        "شكراً لك، هذا كل شيء. سيتواصل معك أحد أعضاء فريقنا قريباً. مع السلامة!",
        "شكراً لوقتك على الهاتف!",
        "عذراً لم نتمكن من الوصول إليك: اتصلنا بخصوص استفسارك لدى {business}.",
        "حسناً، لن نتواصل معك مرة أخرى. مع السلامة.");

    public static QualificationCallWording For(string? language) => language == "ar" ? s_arabic : s_english;

    /// <summary>The language a tenant's calls are held in: its first language, English unless that is Arabic.</summary>
    public static string LanguageOf(TenantSettings settings) => settings.Languages.FirstOrDefault() == "ar" ? "ar" : "en";

    public static string Business(Tenant tenant) =>
        string.IsNullOrWhiteSpace(tenant.Settings.BusinessName) ? tenant.Name : tenant.Settings.BusinessName.Trim();

    /// <summary>What the lead hears first: who is calling and why.</summary>
    public string Opening(Tenant tenant, string? firstName)
    {
        string? name = ReplyTemplates.SafeFirstName(firstName);
        string greeting = (name is null ? GreetingNoName : Greeting.Replace("{name}", name, StringComparison.Ordinal))
            .Replace("{business}", Business(tenant), StringComparison.Ordinal);
        return greeting + " " + Intro;
    }

    public string Closing(Tenant tenant) => string.IsNullOrWhiteSpace(tenant.Settings.BookingLink) ? GoodbyeNoLink : Goodbye;

    /// <summary>
    /// The text after a call, in the tenant's own fallback template (greeting, thanks, the booking link, signature, in
    /// its tone), with the thanks sentence suited to the call: for a call that was held, or one the lead missed.
    /// A call that sent the lead to a person gets the tenant's hand-off template instead.
    /// </summary>
    public static string Text(Tenant tenant, string language, string? firstName, CallTextKind kind)
    {
        string template = ReplyTemplates.SourceFor(tenant.Settings, kind == CallTextKind.Handoff ? ReplyTemplates.HandoffKind : ReplyTemplates.FallbackKind, language);
        Dictionary<string, object> model = ReplyTemplates.Model(tenant, language, firstName, "");
        QualificationCallWording wording = For(language);
        if (kind != CallTextKind.Handoff)
        {
            model["thanks"] = (kind == CallTextKind.AfterCall ? wording.ThanksForTalking : wording.SorryWeMissedYou)
                .Replace("{business}", Business(tenant), StringComparison.Ordinal);
        }
        return ReplyTemplates.Render(template, model);
    }
}

/// <summary>Which text follows a call.</summary>
public enum CallTextKind
{
    AfterCall,
    Missed,
    Handoff,
}
