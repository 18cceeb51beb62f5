using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// What a caller hears when nobody answers: the tenant's <c>missed_call_message</c>, else a short default with the
/// business name in the tenant's first language, which promises a text only when one is on its way.
/// </summary>
public static class MissedCallMessages
{
    public static string Spoken(Tenant tenant, string outcome)
    {
        TenantSettings s = tenant.Settings;
        if (!string.IsNullOrWhiteSpace(s.MissedCallMessage))
        {
            return s.MissedCallMessage.Trim();
        }
        string business = string.IsNullOrWhiteSpace(s.BusinessName) ? tenant.Name : s.BusinessName.Trim();
        bool arabic = s.Languages.FirstOrDefault() == "ar";
        string opening = arabic
            ? $"شكراً لاتصالك بـ{business}. نعتذر، لا يمكننا الرد على مكالمتك الآن."
            : $"Thanks for calling {business}. Sorry we can't take your call right now.";
        string next = (outcome, arabic) switch
        {
            (MissedCalls.Texted, false) => "We'll send you a text message in a moment.",
            (MissedCalls.Texted, true) => "سنرسل لك رسالة نصية خلال لحظات.",
            (MissedCalls.NoCallerId or MissedCalls.Paused, false) => "Please call again later.",
            (MissedCalls.NoCallerId or MissedCalls.Paused, true) => "يرجى الاتصال لاحقاً.",
            (_, false) => "We'll get back to you soon.",
            (_, true) => "سنعود إليك قريباً.",
        };
        return opening + " " + next;
    }
}
