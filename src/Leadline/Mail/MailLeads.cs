using System.Text;
using System.Text.Json;
using Leadline.Hosting;
using Leadline.Intake;
using MimeKit;
using Leadline.Tenants;

namespace Leadline.Mail;

/// <summary>What the intake needs to know about a tenant to read its mail.</summary>
/// <param name="OwnAddresses">Our sending addresses (EMAIL_FROM, the tenant's reply_from_email), lower case.</param>
/// <param name="FormSenders">The tenant's form_senders: addresses, or "@domain" for a whole domain, lower case.</param>
/// <param name="DefaultCountry">How phone numbers without a country code are read.</param>
/// <param name="FallbackId">The event id of a message without a Message-ID ("uid:{uidvalidity}:{uid}" from IMAP).</param>
public sealed record MailContext(IReadOnlySet<string> OwnAddresses, IReadOnlyList<string> FormSenders, string DefaultCountry, string FallbackId)
{
    public static MailContext For(Tenant tenant, MailOptions options, string fallbackId)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.EmailFrom };
        if (tenant.Settings.ReplyFromEmail is { } replyFrom)
        {
            own.Add(replyFrom);
        }
        return new MailContext(own, tenant.Settings.FormSenders, tenant.Settings.DefaultCountry, fallbackId);
    }
}

/// <summary>Either a message for the intake, or the reason a mail is not a lead (<see cref="Skipped"/>).</summary>
public sealed record MailDecision(InboundMessage? Message, string? Skipped)
{
    public static MailDecision Skip(string reason) => new(null, reason);
}

/// <summary>
/// Turns one e-mail into the intake's <see cref="InboundMessage"/>, the same way for every mail channel (IMAP, SendGrid
/// Inbound Parse). Machines are never answered, so that we never loop with an auto-responder: our own mail, auto-replies
/// and bounces are skipped with a reason. A form notification becomes a lead with the submitter's details (the form
/// service is not the contact); any other mail is a personal e-mail from its reply address.
/// </summary>
public static class MailLeads
{
    public const int MaxBody = 10_000;

    private static readonly string[] s_bulkPrecedence = ["bulk", "junk", "auto_reply", "list"];

    private static readonly string[] s_robotLocalParts = ["mailer-daemon", "postmaster"];

    // The local parts of addresses no person reads: mail from them with "Name:" / "Email:" lines is a notification.
    private static readonly string[] s_serviceLocalParts =
    [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "notification", "notifications",
        "notify", "forms", "form", "wordpress", "webmaster", "submissions", "submission",
    ];

    private static readonly string[] s_formServiceDomains =
    [
        "unbounce.com", "typeform.com", "jotform.com", "wufoo.com", "formspree.io", "webflow.com", "wix.com", "squarespace.com",
        "hubspot.com", "wpforms.com", "gravityforms.com", "netlify.com", "formstack.com", "cognitoforms.com", "tally.so",
        "leadpages.net", "instapage.com", "getform.io", "basin.com", "formsubmit.co",
    ];

    // Form fields that describe the submission rather than the lead's request; kept in metadata, not in the text.
    private static readonly string[] s_technicalLabels = ["url", "ip", "agent", "referrer", "referer", "page", "submitted", "date", "time", "id", "form"];

    public static MailDecision Map(MimeMessage mail, MailContext context)
    {
        MailboxAddress? from = mail.From.Mailboxes.FirstOrDefault();
        string? fromAddress = from?.Address.Trim().ToLowerInvariant();
        if (mail.From.Mailboxes.Any(a => context.OwnAddresses.Contains(a.Address.Trim())))
        {
            return MailDecision.Skip("our own mail");
        }
        if (MachineReason(mail, fromAddress) is { } machine)
        {
            return MailDecision.Skip(machine);
        }

        bool formSender = fromAddress is not null && IsFormSender(fromAddress, context.FormSenders);
        bool parsed = FormNotification.TryParse(mail, out FormNotification? form);
        if (formSender && !parsed)
        {
            return MailDecision.Skip("mail from a form sender without the submitter's e-mail address or phone number");
        }
        if (parsed && (formSender || LooksLikeFormService(mail, fromAddress, form!)))
        {
            return FromForm(mail, form!, fromAddress, context);
        }
        return FromPerson(mail, context);
    }

    /// <summary>Why a message was written by a machine (RFC 3834 and the conventions before it); null for a person.</summary>
    private static string? MachineReason(MimeMessage mail, string? fromAddress)
    {
        string? autoSubmitted = mail.Headers["Auto-Submitted"]?.Trim().ToLowerInvariant();
        if (autoSubmitted is { Length: > 0 } && !autoSubmitted.StartsWith("no", StringComparison.Ordinal))
        {
            return $"automatic mail (Auto-Submitted: {autoSubmitted})";
        }
        string? precedence = mail.Headers["Precedence"]?.Trim().ToLowerInvariant();
        if (precedence is not null && s_bulkPrecedence.Contains(precedence))
        {
            return $"automatic mail (Precedence: {precedence})";
        }
        if (mail.Headers.Contains("X-Autoreply") || mail.Headers.Contains("X-Autorespond"))
        {
            return "an auto-reply (X-Autoreply / X-Autorespond)";
        }
        if (mail.Body?.ContentType.IsMimeType("multipart", "report") == true)
        {
            return "a delivery or read report (multipart/report)";
        }
        string local = fromAddress is null ? "" : fromAddress[..Math.Max(0, fromAddress.IndexOf('@'))];
        if (s_robotLocalParts.Contains(local))
        {
            return $"a bounce (from {local})";
        }
        if (mail.Headers["Return-Path"]?.Trim() == "<>")
        {
            return "a bounce or auto-reply (empty Return-Path)";
        }
        return null;
    }

    private static bool IsFormSender(string address, IReadOnlyList<string> senders) => senders.Any(s => s.StartsWith('@')
        ? address.EndsWith(s, StringComparison.OrdinalIgnoreCase)
        : address.Equals(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A mail whose body reads as a form is a notification when it comes from an address nobody reads, from a form
    /// service, or with Reply-To set to the submitter; otherwise it is a person who wrote "Phone:" in their mail.
    /// </summary>
    private static bool LooksLikeFormService(MimeMessage mail, string? fromAddress, FormNotification form)
    {
        if (fromAddress is null)
        {
            return false;
        }
        if (form.Email is { } submitter && submitter.Equals(fromAddress, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        int at = fromAddress.IndexOf('@');
        string local = fromAddress[..Math.Max(0, at)];
        string domain = fromAddress[(at + 1)..];
        return s_serviceLocalParts.Any(p => local == p || local.StartsWith(p + "-", StringComparison.Ordinal) || local.StartsWith(p + "+", StringComparison.Ordinal)
                || local.StartsWith(p + ".", StringComparison.Ordinal) || local.EndsWith("-" + p, StringComparison.Ordinal))
            || s_formServiceDomains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal))
            || (form.Email is { } email && mail.ReplyTo.Mailboxes.Any(r => r.Address.Equals(email, StringComparison.OrdinalIgnoreCase)));
    }

    private static MailDecision FromForm(MimeMessage mail, FormNotification form, string? fromAddress, MailContext context)
    {
        string? email = ContactNormalizer.Email(form.Email);
        string? phone = Phones.ToE164(form.Phone, context.DefaultCountry);
        if (email is null && phone is null)
        {
            return MailDecision.Skip("a form notification without a usable e-mail address or phone number");
        }
        var text = new StringBuilder(form.Message?.Trim() ?? "");
        var details = form.Other.Where(f => !IsTechnical(f.Key, f.Value)).ToList();
        if (form.Company is { Length: > 0 } company)
        {
            details.Insert(0, new("Company", company));
        }
        if (details.Count > 0)
        {
            text.Append(text.Length > 0 ? "\n\n" : "").AppendJoin('\n', details.Select(f => $"{f.Key}: {f.Value}"));
        }
        string body = text.Length > 0 ? text.ToString() : "(a form was sent without a message)";
        return new MailDecision(new InboundMessage
        {
            Channel = "web_form",
            Source = "email-form",
            ExternalId = mail.MessageId ?? context.FallbackId,
            Email = email,
            Phone = phone,
            FirstName = Limit(form.FirstName, 100),
            LastName = Limit(form.LastName, 100),
            // The notification's subject and Message-ID are the form service's: the lead never saw them, so our reply
            // starts its own thread ("Re: your inquiry to ...") rather than answering a message they do not have.
            Body = Limit(body, MaxBody)!,
            LeadSource = "email-form",
            Metadata = JsonSerializer.SerializeToElement(new
            {
                form_sender = fromAddress,
                form_subject = mail.Subject ?? "",
                fields = form.Other,
            }, Json.Options),
        }, null);
    }

    private static MailDecision FromPerson(MimeMessage mail, MailContext context)
    {
        MailboxAddress? contact = MailContent.ReplyAddress(mail);
        string? email = ContactNormalizer.Email(contact?.Address);
        if (email is null)
        {
            return MailDecision.Skip("no sender address to answer");
        }
        if (context.OwnAddresses.Contains(email))
        {
            return MailDecision.Skip("our own mail");
        }
        string name = (contact!.Name ?? "").Trim().Trim('"', '\'').Trim();
        if (name.Length == 0 && mail.From.Mailboxes.FirstOrDefault() is { } author && author.Address.Equals(contact.Address, StringComparison.OrdinalIgnoreCase))
        {
            name = (author.Name ?? "").Trim();
        }
        (string? first, string? last) = name.Length == 0 || name.Contains('@') ? (null, null) : FormLabels.SplitName(name);

        string subject = mail.Subject?.Trim() ?? "";
        IReadOnlyList<MailAttachment> attachments = MailContent.Attachments(mail);
        string body = EmailText.NewContent(MailContent.BestText(mail));
        if (body.Length == 0)
        {
            body = attachments.Count > 0
                ? $"(sent {attachments.Count} attachment{(attachments.Count == 1 ? "" : "s")} without text)"
                : subject.Length > 0 ? subject : "(empty e-mail)";
        }
        return new MailDecision(new InboundMessage
        {
            Channel = "email",
            Source = "email",
            ExternalId = mail.MessageId ?? context.FallbackId,
            Email = email,
            FirstName = Limit(first, 100),
            LastName = Limit(last, 100),
            Subject = Limit(subject, 500),
            Body = Limit(body, MaxBody)!,
            LeadSource = "email",
            ProviderMessageId = mail.MessageId,
            RepliesTo = OurMessageIds(mail),
            Metadata = attachments.Count == 0 ? null : JsonSerializer.SerializeToElement(new
            {
                attachments = attachments.Select(a => new { name = a.FileName, type = a.MimeType, size = a.Size }),
            }, Json.Options),
        }, null);
    }

    /// <summary>
    /// The ids of our own messages this mail answers: our Message-IDs are "&lt;{message id, 32 hex digits}@domain&gt;"
    /// (<see cref="Delivery.MailComposer.MessageId"/>), so In-Reply-To and References name them.
    /// </summary>
    public static IReadOnlyList<Guid> OurMessageIds(MimeMessage mail)
    {
        var ids = new List<Guid>();
        foreach (string id in new[] { mail.InReplyTo }.OfType<string>().Concat(mail.References.Reverse()))
        {
            int at = id.IndexOf('@');
            if (at == 32 && Guid.TryParseExact(id[..at], "N", out Guid guid) && !ids.Contains(guid))
            {
                ids.Add(guid);
            }
        }
        return ids;
    }

    private static bool IsTechnical(string label, string value)
    {
        string key = label.ToLowerInvariant();
        return value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || key.Split([' ', '_', '-'], StringSplitOptions.RemoveEmptyEntries).Any(w => s_technicalLabels.Contains(w));
    }

    private static string? Limit(string? value, int max) =>
        value?.Trim() is { Length: > 0 } v ? v.Length > max ? v[..max] : v : null;
}
