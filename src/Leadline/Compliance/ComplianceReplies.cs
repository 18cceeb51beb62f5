using Leadline.Tenants;

namespace Leadline.Compliance;

/// <summary>The fixed texts that confirm an opt-out or opt-in and answer HELP, in English or Arabic.</summary>
public static class ComplianceReplies
{
    public static string For(ComplianceRequest request, Tenant tenant, string language)
    {
        TenantSettings s = tenant.Settings;
        string name = string.IsNullOrWhiteSpace(s.BusinessName) ? tenant.Name : s.BusinessName;
        string? contact = s.ReplyFromEmail ?? s.OwnerEmail ?? s.BookingLink;
        bool arabic = language == "ar";
        return request switch
        {
            ComplianceRequest.OptOut => arabic
                ? $"{name}: تم إلغاء اشتراكك ولن تصلك منا رسائل أخرى. أرسل START لإعادة الاشتراك."
                : $"{name}: You are unsubscribed and will receive no more messages from us. Reply START to resubscribe.",
            ComplianceRequest.OptIn => arabic
                ? $"{name}: تمت إعادة اشتراكك. أرسل STOP لإلغاء الاشتراك أو HELP للمساعدة."
                : $"{name}: You are subscribed again. Reply STOP to unsubscribe, HELP for help.",
            ComplianceRequest.Help => arabic
                ? $"{name}: نرد على استفساراتك عن خدماتنا ومواعيدنا.{(contact is null ? "" : $" للتواصل: {contact}")} أرسل STOP لإلغاء الاشتراك."
                : $"{name}: We answer your questions about our services and appointments.{(contact is null ? "" : $" Contact: {contact}")} Reply STOP to unsubscribe.",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request, "not a compliance request"),
        };
    }
}
