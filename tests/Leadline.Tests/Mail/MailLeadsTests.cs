using System.Text;
using Leadline.Intake;
using Leadline.Mail;

namespace Leadline.Tests.Mail;

/// <summary>One e-mail into the intake's shape, without I/O: who the contact is, what they wrote, and what is never a lead.</summary>
public sealed class MailLeadsTests
{
    private const string Our = "replies@acme.test";

    private static readonly MailContext Context = new(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Our, "hello@acme.test" }, ["@forms.acme.test", "leads@wix-mailer.test"], "US", "uid:7:42");

    private static MailDecision Map(byte[] raw, MailContext? context = null) => MailLeads.Map(MailContent.Load(raw)!, context ?? Context);

    private static InboundMessage Lead(byte[] raw, MailContext? context = null)
    {
        MailDecision decision = Map(raw, context);
        Assert.True(decision.Message is not null, $"expected a lead, but it was skipped: {decision.Skipped}");
        return decision.Message!;
    }

    [Fact]
    public void APersonalMailIsALeadFromItsSenderWithTheNewTextOnly()
    {
        string id = MailSamples.NewId();
        InboundMessage lead = Lead(MailSamples.Plain("\"Jordan Lee\" <Jordan.Lee@Example.com>", "Gutter cleaning",
            "Do you clean gutters in Austin?\n\nOn Fri, 20 Nov 2026 at 09:00, Acme <replies@acme.test> wrote:\n> Thanks for writing", id));

        Assert.Equal("email", lead.Channel);
        Assert.Equal("email", lead.Source);
        Assert.Equal("jordan.lee@example.com", lead.Email);
        Assert.Equal("Jordan", lead.FirstName);
        Assert.Equal("Lee", lead.LastName);
        Assert.Equal("Gutter cleaning", lead.Subject);
        Assert.Equal("Do you clean gutters in Austin?", lead.Body);
        Assert.Equal(id.Trim('<', '>'), lead.ExternalId);
        Assert.Equal(id.Trim('<', '>'), lead.ProviderMessageId);
        Assert.Empty(lead.RepliesTo);
    }

    [Fact]
    public void ReplyToIsTheContactWhenPresent()
    {
        InboundMessage lead = Lead(MailSamples.Plain("Office <office@example.com>", "Quote", "Please call Sam back.",
            headers: "Reply-To: \"Sam Ortiz\" <sam@example.org>\r\n"));
        Assert.Equal("sam@example.org", lead.Email);
        Assert.Equal("Sam", lead.FirstName);
    }

    [Fact]
    public void HtmlOnlyAndMultipartMailAreReadAsText()
    {
        InboundMessage html = Lead(MailSamples.HtmlOnly("a@example.com", "Hi", "<html><body><p>Need a <b>quote</b> for tiling.</p></body></html>"));
        Assert.Equal("Need a quote for tiling.", html.Body);

        InboundMessage both = Lead(MailSamples.Alternative("b@example.com", "Hi", "Plain words win.", "<p>HTML words lose.</p>"));
        Assert.Equal("Plain words win.", both.Body);
    }

    [Fact]
    public void QuotedPrintableAndBase64ArabicAreDecoded()
    {
        Assert.Equal("Hi, we’d like a quote for a new café roof, around $5,000.", Lead(MailSamples.QuotedPrintable("c@example.com")).Body);

        InboundMessage arabic = Lead(MailSamples.ArabicBase64("ahmed@example.sa"));
        Assert.Equal(MailSamples.ArabicText, arabic.Body);
        Assert.Equal("طلب عرض سعر", arabic.Subject);
        Assert.Equal("أحمد", arabic.FirstName);
        Assert.Equal("علي", arabic.LastName);
    }

    [Fact]
    public void AFormNotificationIsALeadFromTheSubmitterNotTheFormService()
    {
        InboundMessage lead = Lead(MailSamples.Form("notifications@unbounce.com", "dana@example.net", "(512) 555-0142", MailSamples.NewId()));

        Assert.Equal("email-form", lead.Source);
        Assert.Equal("web_form", lead.Channel);
        Assert.Equal("dana@example.net", lead.Email);
        Assert.Equal("+15125550142", lead.Phone);
        Assert.Equal("Dana", lead.FirstName);
        Assert.Equal("Whitfield", lead.LastName);
        Assert.StartsWith("Our roof leaks over the kitchen, can someone come this week?", lead.Body);
        Assert.Contains("Service: Roof repair", lead.Body);
        Assert.DoesNotContain("203.0.113.7", lead.Body);
        Assert.DoesNotContain("unbounce", lead.Body);
        // The lead never saw the notification, so the reply does not claim to answer it.
        Assert.Null(lead.ProviderMessageId);
        Assert.Null(lead.Subject);
    }

    [Fact]
    public void FormSendersMakeAnyAddressAFormSource()
    {
        byte[] raw = MailSamples.Form("someone@forms.acme.test", "kim@example.com", "+1 512 555 0100", MailSamples.NewId());
        Assert.Equal("kim@example.com", Lead(raw).Email);

        MailDecision unreadable = Map(MailSamples.Plain("leads@wix-mailer.test", "New submission", "Someone filled in your form."));
        Assert.Null(unreadable.Message);
        Assert.Contains("form sender", unreadable.Skipped);
    }

    [Fact]
    public void APersonWhoSignsWithPhoneAndEmailIsNotAForm()
    {
        InboundMessage lead = Lead(MailSamples.Plain("Pat Doe <pat@example.com>", "Bathroom",
            "Could you redo our bathroom next month?\n\nPat Doe\nPhone: +1 512 555 0199\nEmail: pat@example.com"));
        Assert.Equal("email", lead.Source);
        Assert.Equal("pat@example.com", lead.Email);
    }

    public static TheoryData<string, string> Machines => new()
    {
        { "Auto-Submitted: auto-replied\r\n", "Auto-Submitted" },
        { "Auto-Submitted: auto-generated\r\n", "Auto-Submitted" },
        { "Precedence: bulk\r\n", "Precedence" },
        { "Precedence: auto_reply\r\n", "Precedence" },
        { "Precedence: list\r\n", "Precedence" },
        { "X-Autoreply: yes\r\n", "X-Autoreply" },
        { "X-Autorespond: Out of office\r\n", "X-Autoreply" },
        { "Return-Path: <>\r\n", "Return-Path" },
    };

    [Theory]
    [MemberData(nameof(Machines))]
    public void AutomaticMailIsNeverALead(string header, string reason)
    {
        MailDecision decision = Map(MailSamples.Plain("Jordan <jordan@example.com>", "Re: your inquiry", "I am away.", headers: header));
        Assert.Null(decision.Message);
        Assert.Contains(reason, decision.Skipped);
    }

    [Fact]
    public void BouncesAndOurOwnMailAreNeverLeads()
    {
        Assert.Contains("multipart/report", Map(MailSamples.Bounce("example.com")).Skipped);
        Assert.Contains("bounce", Map(MailSamples.Plain("postmaster@example.com", "Failure", "Could not deliver.")).Skipped);
        Assert.Equal("our own mail", Map(MailSamples.Plain($"Acme <{Our.ToUpperInvariant()}>", "Re: Quote", "Thanks!")).Skipped);
        Assert.Equal("our own mail", Map(MailSamples.Plain("x@example.com", "Fwd", "Loop?", headers: "Reply-To: hello@acme.test\r\n")).Skipped);
    }

    [Fact]
    public void AutoSubmittedNoIsAPerson()
    {
        Assert.NotNull(Map(MailSamples.Plain("jordan@example.com", "Quote", "Hello there", headers: "Auto-Submitted: no\r\n")).Message);
    }

    [Fact]
    public void AMailWithoutMessageIdUsesTheMailboxUid()
    {
        byte[] raw = MailSamples.Crlf("From: jordan@example.com\nSubject: Hi\n\nA quote please.\n");
        InboundMessage lead = Lead(raw);
        Assert.Equal("uid:7:42", lead.ExternalId);
        Assert.Null(lead.ProviderMessageId);
    }

    [Fact]
    public void AnAnswerToOurMailNamesOurMessage()
    {
        Guid ours = Guid.CreateVersion7();
        Guid older = Guid.CreateVersion7();
        InboundMessage lead = Lead(MailSamples.Plain("jordan@example.com", "Re: Quote", "Tuesday works.",
            headers: $"In-Reply-To: <{ours:N}@acme.test>\r\nReferences: <abc@mail.example> <{older:N}@acme.test> <{ours:N}@acme.test>\r\n"));
        Assert.Equal([ours, older], lead.RepliesTo);
    }

    [Fact]
    public void AnEmptyMailStillSaysSomething()
    {
        Assert.Equal("Kitchen remodel", Lead(MailSamples.Plain("jordan@example.com", "Kitchen remodel", "")).Body);
    }

    [Fact]
    public void AnArabicFormMailInWindows1256BecomesTheSubmittersLead()
    {
        string text = "الاسم: خالد العتيبي\nالبريد الإلكتروني: khalid@example.sa\nالجوال: +966 50 123 4567\nالرسالة: أريد عرض سعر لشقة في الدمام";
        byte[] raw = [.. RawMail.Crlf("""
            From: =?windows-1256?B?2sfk?= <noreply@forms.example.sa>
            To: leads@acme.test
            Subject: =?windows-1256?Q?=E4=E3=E6=D0=CC_=CC=CF=ED=CF?=
            Message-ID: <w1256@forms.example.sa>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=windows-1256
            Content-Transfer-Encoding: base64


            """), .. RawMail.Crlf(RawMail.Base64(RawMail.Windows1256.GetBytes(text)))];

        InboundMessage lead = Lead(raw);
        Assert.Equal("web_form", lead.Channel);
        Assert.Equal("khalid@example.sa", lead.Email);
        Assert.Equal("+966501234567", lead.Phone);
        Assert.Equal(("خالد", "العتيبي"), (lead.FirstName, lead.LastName));
        Assert.StartsWith("أريد عرض سعر لشقة في الدمام", lead.Body);
    }

    [Fact]
    public void AnIso88596PersonalMailIsReadInArabic()
    {
        byte[] body = Encoding.GetEncoding("iso-8859-6").GetBytes("مرحبا، أريد موعدا");
        byte[] raw = [.. RawMail.Crlf("""
            From: Sara <sara@example.jo>
            Subject: =?iso-8859-6?B?48fTzQ==?=
            Content-Type: text/plain; charset=iso-8859-6
            Content-Transfer-Encoding: 8bit


            """), .. body];

        InboundMessage lead = Lead(raw);
        Assert.Equal("مرحبا، أريد موعدا", lead.Body);
        Assert.Equal("sara@example.jo", lead.Email);
    }

    [Fact]
    public void AnHtmlOnlyFormTableAndFlowedTextReadAsAPersonWouldSeeThem()
    {
        InboundMessage form = Lead(MailSamples.HtmlOnly("noreply@webflow.com", "New submission",
            "<html><head><style>td{color:red}</style></head><body><table><tr><td>Name</td><td>Dana Whitfield</td></tr>"
            + "<tr><td>Email</td><td>dana@example.com</td></tr><tr><td>Message</td><td>Roof &amp; gutters, please</td></tr></table></body></html>"));
        Assert.Equal(("dana@example.com", "Dana", "Roof & gutters, please"), (form.Email, form.FirstName, form.Body));

        InboundMessage flowed = Lead(RawMail.Crlf("""
            From: Jo <jo@example.com>
            Subject: Hi
            Content-Type: text/plain; charset=utf-8; format=flowed

            We would like a quote for a new 
            kitchen floor.

            """));
        Assert.Equal("We would like a quote for a new kitchen floor.", flowed.Body);
    }
}
