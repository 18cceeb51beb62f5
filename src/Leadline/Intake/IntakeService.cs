using Leadline.Alerts;
using Leadline.Compliance;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;
using Leadline.Voice;

namespace Leadline.Intake;

/// <summary>
/// The intake transaction (ARCHITECTURE.md, the spine, step 2): event, lead, conversation, dedupe, message,
/// audit and the reply job commit together, before anything is acknowledged. Every channel comes in here: forms,
/// webhooks, texts and e-mail through <see cref="AcceptAsync"/>, missed calls and a qualification call's answers
/// through <see cref="AcceptInTxAsync"/> inside their own decisions, with what differs said by <see cref="IntakeRules"/>.
/// </summary>
public sealed class IntakeService(Db db, JobQueue jobs, Metrics metrics, IntakeOptions options, OwnerAlerts alerts, TimeProvider clock, QualificationCalls calls)
{
    private sealed record EventRow(string Status, Guid? LeadId, Guid? ConversationId, Guid? MessageId);

    private sealed record LeadRow(Guid Id, string? Email, string? Phone);

    private sealed record Duplicate(Guid Id, Guid ConversationId);

    private sealed record Thread(Guid LeadId, Guid ConversationId);

    public async Task<IntakeResult> AcceptAsync(Tenant tenant, InboundMessage message, CancellationToken ct)
    {
        IntakeResult result = await db.InTransactionAsync(tx => AcceptInTxAsync(tx, tenant, message, IntakeRules.Default), ct, DbPriority.Intake);
        metrics.Increment("intake_total", ("tenant", tenant.Slug), ("channel", message.Channel), ("status", result.Status));
        if (result.Status == "suppressed")
        {
            metrics.Increment("dedupe_suppressed_total", ("tenant", tenant.Slug), ("channel", message.Channel));
        }
        return result;
    }

    /// <summary>
    /// The intake transaction in the caller's transaction, for intakes that decide more in the same commit (a missed
    /// call's record, a call's end). Status <c>duplicate</c>: the event was taken before, and nothing changed.
    /// </summary>
    public async Task<IntakeResult> AcceptInTxAsync(Tx tx, Tenant tenant, InboundMessage m, IntakeRules how)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long receivedAt = how.ReceivedAt ?? now;
        Guid eventId = Guid.CreateVersion7();
        Guid messageId = Guid.CreateVersion7();
        string externalId = m.ExternalId ?? "auto:" + messageId;

        // The unique (tenant, source, external id) row is the idempotency lock: a concurrent copy of the same
        // event blocks here (PostgreSQL) or waits for the writer (SQLite), then finds the committed row.
        int inserted = await tx.ExecuteAsync("""
            INSERT INTO inbound_events (id, tenant_id, source, external_id, status, created_at)
            VALUES (@eventId, @TenantId, @Source, @externalId, 'processing', @now)
            ON CONFLICT (tenant_id, source, external_id) DO NOTHING
            """, new { eventId, TenantId = tenant.Id, m.Source, externalId, now });
        if (inserted == 0)
        {
            EventRow existing = await tx.QuerySingleAsync<EventRow>("""
                SELECT status, lead_id AS LeadId, conversation_id AS ConversationId, message_id AS MessageId
                FROM inbound_events WHERE tenant_id = @TenantId AND source = @Source AND external_id = @externalId
                """, new { TenantId = tenant.Id, m.Source, externalId });
            return new IntakeResult(existing.LeadId!.Value, existing.ConversationId!.Value, existing.MessageId!.Value, "duplicate");
        }

        await LockContactsAsync(tx, tenant, m.Email, m.Phone);
        Thread? thread = how.LeadId is null ? await FindThreadAsync(tx, tenant, m.RepliesTo) : null;
        (Guid leadId, bool newLead) = how.LeadId is Guid known ? (known, false)
            : thread is null ? await UpsertLeadAsync(tx, tenant, m, now) : (thread.LeadId, false);
        string fingerprint = ContactNormalizer.Fingerprint(m.Body);

        int window = tenant.Settings.DedupeWindowMin ?? options.DedupeWindowMinutes;
        if (window > 0 && how.Dedupe)
        {
            Duplicate? earlier = await tx.QuerySingleOrDefaultAsync<Duplicate>("""
                SELECT id, conversation_id AS ConversationId FROM messages
                WHERE tenant_id = @TenantId AND lead_id = @leadId AND direction = 'in'
                  AND fingerprint = @fingerprint AND created_at >= @since
                ORDER BY created_at DESC LIMIT 1
                """, new { TenantId = tenant.Id, leadId, fingerprint, since = now - window * 60_000L });
            if (earlier is not null)
            {
                await FinishEventAsync(tx, tenant, eventId, "suppressed", leadId, earlier.ConversationId, earlier.Id);
                await Audit.RecordAsync(tx, tenant.Id, leadId, "intake.suppressed", new
                {
                    source = m.Source,
                    external_id = externalId,
                    channel = m.Channel,
                    duplicate_of = earlier.Id,
                    window_minutes = window,
                }, now, tenant.ConfigVersion);
                return new IntakeResult(leadId, earlier.ConversationId, earlier.Id, "suppressed");
            }
        }

        string channel = how.ConversationChannel ?? m.Channel;
        Guid conversationId;
        if (thread is not null)
        {
            conversationId = thread.ConversationId;
            await IntakeConversations.TouchAsync(tx, tenant, conversationId, now);
        }
        else
        {
            conversationId = await IntakeConversations.FindOrOpenAsync(tx, tenant, leadId, channel, m.Subject ?? how.ConversationSubject,
                how.AnyOpenConversation, newLead ? 0 : window * 60_000L, now);
        }
        await tx.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, subject, body,
                                  status, fingerprint, external_id, created_at)
            VALUES (@messageId, @TenantId, @conversationId, @leadId, 'in', 'lead', @Channel, @Subject, @Body,
                    'received', @fingerprint, @ProviderMessageId, @receivedAt)
            """, new { messageId, TenantId = tenant.Id, conversationId, leadId, m.Channel, m.Subject, m.Body, fingerprint, m.ProviderMessageId, receivedAt });
        await FinishEventAsync(tx, tenant, eventId, "accepted", leadId, conversationId, messageId);
        await Audit.RecordAsync(tx, tenant.Id, leadId, "intake.received", new
        {
            source = m.Source,
            external_id = externalId,
            message_id = messageId,
            payload = m,
        }, now, tenant.ConfigVersion);
        if (how.ImpliedConsent is { } consent && ComplianceContact(m) is { } consenting)
        {
            await OptOuts.RecordAsync(tx, tenant.Id, leadId, consenting, "implied_consent", consent, now);
        }

        // An opt-out takes effect in this transaction, before anything else can be sent (PRODUCT.md 2.6); the reply
        // job then confirms it once, and the delivery gate holds back every other message to the contact.
        ComplianceRequest request = how.Compliance ? ComplianceKeywords.Classify(m.Body) : ComplianceRequest.None;
        bool changed = false;
        if (request is ComplianceRequest.OptOut or ComplianceRequest.OptIn && ComplianceContact(m) is { } contact)
        {
            changed = await OptOuts.SetAsync(tx, tenant.Id, leadId, contact, request == ComplianceRequest.OptOut,
                new ConsentEvidence(m.Source, m.Body, m.SourceIp, m.ExternalId), now);
            await Audit.RecordAsync(tx, tenant.Id, leadId, request == ComplianceRequest.OptOut ? "compliance.opt_out" : "compliance.opt_in",
                new { message_id = messageId, changed, source = m.Source }, now, tenant.ConfigVersion);
        }
        Guid? replyId = null;
        if (request != ComplianceRequest.None)
        {
            // Compliance answers do not wait for auto_reply: a STOP is always confirmed, a HELP always answered.
            await jobs.EnqueueAsync(tx, tenant.Id, new ReplyJobPayload(messageId) { Compliance = request, Confirm = changed || request == ComplianceRequest.Help },
                messageId.ToString());
        }
        else if (how.Reply == IntakeReply.Text)
        {
            replyId = await QueueTextAsync(tx, tenant, leadId, conversationId, messageId, channel,
                how.Text ?? throw new ArgumentException("IntakeReply.Text needs the text", nameof(how)), now);
        }
        else if (how.Reply == IntakeReply.Draft && tenant.Settings.AutoReply)
        {
            await jobs.EnqueueAsync(tx, tenant.Id, new ReplyJobPayload(messageId), messageId.ToString());
        }
        else if (how.Reply == IntakeReply.Draft)
        {
            await Audit.RecordAsync(tx, tenant.Id, leadId, "reply.skipped", new { message_id = messageId, reason = "auto_reply is off" }, now, tenant.ConfigVersion);
        }
        if (newLead && request == ComplianceRequest.None)
        {
            await calls.AutoStartAsync(tx, tenant, leadId, m, now);
        }
        if (newLead)
        {
            await alerts.NewLeadAsync(tx, tenant, leadId);
        }
        return new IntakeResult(leadId, conversationId, messageId, "accepted") { ReplyId = replyId };
    }

    /// <summary>
    /// A fixed text (a rendered template, not a draft) answering the message: it needs no approval and goes out within
    /// seconds. The <c>deliver</c> job still applies the opt-out gate and the lead's hours.
    /// </summary>
    private async Task<Guid> QueueTextAsync(Tx tx, Tenant tenant, Guid leadId, Guid conversationId, Guid inboundId, string channel,
        string text, long now)
    {
        Guid outId = Guid.CreateVersion7();
        await tx.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, lead_id, direction, author, channel, body, status, reply_to_id,
                                  config_version, created_at)
            VALUES (@outId, @TenantId, @conversationId, @leadId, 'out', 'bot', @channel, @text, 'queued', @inboundId, @ConfigVersion, @now)
            """, new { outId, TenantId = tenant.Id, conversationId, leadId, channel, text, inboundId, tenant.ConfigVersion, now });
        await jobs.EnqueueAsync(tx, tenant.Id, new DeliverJobPayload(outId), outId.ToString());
        return outId;
    }

    /// <summary>
    /// Serialises intake per contact (PostgreSQL; SQLite has one writer anyway), so two different events from one
    /// person (a text and a missed call too) cannot both create a lead or both slip past the dedupe window. Keys are
    /// taken in a fixed order to avoid deadlocks; the locks are held until the transaction ends.
    /// </summary>
    private static async Task LockContactsAsync(Tx tx, Tenant tenant, params string?[] contacts)
    {
        if (tx.Dialect != Dialect.Postgres)
        {
            return;
        }
        foreach (string key in contacts.OfType<string>().Order(StringComparer.Ordinal))
        {
            await tx.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@lockKey))", new { lockKey = tenant.Id + ":" + key });
        }
    }

    // Two indexed lookups rather than "email = @Email OR phone = @Phone", which SQLite plans as a scan of the
    // tenant's leads: intake would slow down with every lead the tenant ever had.
    private static async Task<(Guid Id, bool Created)> UpsertLeadAsync(Tx tx, Tenant tenant, InboundMessage m, long now)
    {
        LeadRow? lead = await tx.QuerySingleOrDefaultAsync<LeadRow>("""
            SELECT id, email, phone FROM (
                SELECT id, email, phone, created_at FROM leads WHERE tenant_id = @TenantId AND email = @Email
                UNION ALL
                SELECT id, email, phone, created_at FROM leads WHERE tenant_id = @TenantId AND phone = @Phone
            ) AS matches
            ORDER BY created_at LIMIT 1
            """, new { TenantId = tenant.Id, m.Email, m.Phone });
        if (lead is null)
        {
            Guid id = Guid.CreateVersion7();
            await tx.ExecuteAsync("""
                INSERT INTO leads (id, tenant_id, email, phone, first_name, last_name, source, channel, timezone, created_at, updated_at)
                VALUES (@id, @TenantId, @Email, @Phone, @FirstName, @LastName, @LeadSource, @Channel, @Timezone, @now, @now)
                """, new { id, TenantId = tenant.Id, m.Email, m.Phone, m.FirstName, m.LastName, m.LeadSource, m.Channel, Timezone = Phones.ZoneOf(m.Phone), now });
            return (id, true);
        }

        // A returning lead may tell us more about themselves; keep what we knew, fill in what we did not. The zone
        // follows the number: it is set when the number is (the right-hand side reads the row as it was).
        await tx.ExecuteAsync("""
            UPDATE leads SET email = COALESCE(email, @Email), phone = COALESCE(phone, @Phone),
                             timezone = CASE WHEN phone IS NULL THEN @Timezone ELSE timezone END,
                             first_name = COALESCE(@FirstName, first_name), last_name = COALESCE(@LastName, last_name),
                             updated_at = @now
            WHERE id = @Id AND tenant_id = @TenantId
            """, new { lead.Id, TenantId = tenant.Id, m.Email, m.Phone, m.FirstName, m.LastName, Timezone = Phones.ZoneOf(m.Phone), now });
        return (lead.Id, false);
    }

    /// <summary>
    /// The lead and conversation of the first of our messages that <paramref name="repliesTo"/> names, so that an
    /// answer to our e-mail joins its conversation even when it comes from another address; null when none exists.
    /// </summary>
    private static async Task<Thread?> FindThreadAsync(Tx tx, Tenant tenant, IReadOnlyList<Guid> repliesTo)
    {
        foreach (Guid id in repliesTo.Take(10))
        {
            Thread? thread = await tx.QuerySingleOrDefaultAsync<Thread>("""
                SELECT lead_id AS LeadId, conversation_id AS ConversationId FROM messages
                WHERE id = @id AND tenant_id = @TenantId AND direction = 'out'
                """, new { id, TenantId = tenant.Id });
            if (thread is not null)
            {
                return thread;
            }
        }
        return null;
    }

    /// <summary>The address an opt-out applies to: the phone for texts and calls, the e-mail address for e-mail.</summary>
    private static string? ComplianceContact(InboundMessage m) =>
        (m.Channel is "sms" or "whatsapp" or "voice" ? m.Phone ?? m.Email : m.Email ?? m.Phone) is { } address ? OptOuts.Contact(address) : null;

    private static Task FinishEventAsync(Tx tx, Tenant tenant, Guid eventId, string status, Guid leadId, Guid conversationId, Guid messageId) =>
        tx.ExecuteAsync("""
            UPDATE inbound_events SET status = @status, lead_id = @leadId, conversation_id = @conversationId, message_id = @messageId
            WHERE id = @eventId AND tenant_id = @TenantId
            """, new { eventId, TenantId = tenant.Id, status, leadId, conversationId, messageId });
}
