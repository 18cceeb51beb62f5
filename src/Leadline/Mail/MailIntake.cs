using Leadline.Data;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Observability;
using Leadline.Tenants;
using MimeKit;

namespace Leadline.Mail;

/// <summary>What became of one e-mail: <c>accepted</c>, <c>duplicate</c>, <c>suppressed</c> (the intake's words) or <c>skipped</c>.</summary>
public sealed record MailOutcome(string Outcome, IntakeResult? Result, string? Reason);

/// <summary>
/// One e-mail into the intake, for every mail channel: <see cref="MailLeads"/> decides, and either the intake
/// transaction stores the lead (idempotent on the Message-ID) or the reason it is not one is audited.
/// </summary>
public sealed partial class MailIntake(IntakeService intake, Db db, Metrics metrics, MailOptions options, TimeProvider clock, ILogger<MailIntake> logger)
{
    /// <param name="mail">The parsed mail, or null when its bytes could not be read as a message at all
    /// (<see cref="MailContent.Load(Stream, CancellationToken)"/>): that is audited as skipped, not a failure to retry.</param>
    /// <param name="fallbackId">The event id when the mail has no Message-ID, stable for this copy of the mail.</param>
    /// <param name="via"><c>imap</c> or <c>sendgrid</c>, for metrics and the audit trail.</param>
    public async Task<MailOutcome> AcceptAsync(Tenant tenant, MimeMessage? mail, string fallbackId, string via, CancellationToken ct)
    {
        MailDecision decision = mail is null
            ? MailDecision.Skip("an unreadable message (not a MIME e-mail)")
            : MailLeads.Map(mail, MailContext.For(tenant, options, fallbackId));
        if (decision.Message is not { } message)
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await db.InTransactionAsync(tx => Audit.RecordAsync(tx, tenant.Id, null, "mail.skipped", new
            {
                via,
                reason = decision.Skipped,
                message_id = mail?.MessageId ?? fallbackId,
            }, now, tenant.ConfigVersion), ct);
            metrics.Increment("mail_processed_total", ("tenant", tenant.Slug), ("via", via), ("outcome", "skipped"));
            LogSkipped(tenant.Slug, via, decision.Skipped!);
            return new MailOutcome("skipped", null, decision.Skipped);
        }
        IntakeResult result = await intake.AcceptAsync(tenant, message, ct);
        metrics.Increment("mail_processed_total", ("tenant", tenant.Slug), ("via", via), ("outcome", result.Status));
        LogAccepted(tenant.Slug, via, message.Source, result.Status, result.LeadId);
        return new MailOutcome(result.Status, result, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail for tenant {Tenant} via {Via} is not a lead: {Reason}")]
    private partial void LogSkipped(string tenant, string via, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail for tenant {Tenant} via {Via} ({Source}): {Status}, lead {LeadId}")]
    private partial void LogAccepted(string tenant, string via, string source, string status, Guid leadId);
}
