namespace Leadline.Replies;

/// <summary>
/// The fixed sentences of the offline engine in each language and tone style. They hold no facts (no numbers,
/// no promises beyond a person following up), so a reply's facts can only come from the tenant's FAQs.
/// <c>{name}</c>, <c>{business}</c> and <c>{link}</c> are filled in by <see cref="ReplyTemplates"/>.
/// </summary>
internal sealed record ReplyWording(string Greeting, string GreetingNoName, string Thanks, string Cta, string NoLinkCta, string Handoff)
{
    public static readonly string[] Styles = ["friendly", "formal", "casual"];

    private static readonly Dictionary<(string Language, string Style), ReplyWording> s_wordings = new()
    {
        [("en", "friendly")] = new("Hi {name},", "Hi there,", "Thanks for reaching out to {business}!",
            "You can book a time that suits you here: {link}", "Someone from our team will follow up with you shortly.",
            "Thanks for your message. A member of our team will follow up with you personally."),
        [("en", "formal")] = new("Dear {name},", "Hello,", "Thank you for contacting {business}.",
            "Please book a convenient time here: {link}", "A member of our team will contact you shortly.",
            "Thank you for your message. A member of our team will follow up with you personally."),
        [("en", "casual")] = new("Hey {name}!", "Hey there!", "Thanks for getting in touch with {business}!",
            "Grab a time that works for you: {link}", "Someone from the team will get back to you soon.",
            "Thanks! Someone from the team will pick this up personally."),
        [("ar", "friendly")] = new("مرحباً {name}،", "مرحباً،", "شكراً لتواصلك مع {business}!",
            "يمكنك حجز الموعد المناسب لك من هنا: {link}", "سيتواصل معك أحد أعضاء فريقنا قريباً.",
            "شكراً لرسالتك. سيتابع معك أحد أعضاء فريقنا شخصياً."),
        [("ar", "formal")] = new("السلام عليكم {name}،", "السلام عليكم،", "نشكركم على تواصلكم مع {business}.",
            "يرجى حجز الموعد المناسب عبر الرابط: {link}", "سيتواصل معكم أحد أعضاء فريقنا قريباً.",
            "نشكركم على رسالتكم. سيتابع معكم أحد أعضاء فريقنا شخصياً."),
        [("ar", "casual")] = new("أهلاً {name}!", "أهلاً!", "شكراً على رسالتك لـ{business}!",
            "احجز وقتك من هنا: {link}", "بيتواصل معك أحد من الفريق قريباً.",
            "شكراً! بيتابع معك أحد من الفريق بنفسه."),
    };

    /// <summary>The wording for a language and style; English and the friendly style stand in for unknown ones.</summary>
    public static ReplyWording For(string language, string? style)
    {
        string lang = language == "ar" ? "ar" : "en";
        string s = Styles.Contains(style) ? style! : "friendly";
        return s_wordings[(lang, s)];
    }
}
