using Dapper;
using Leadline.Compliance;
using Leadline.Data;
using Leadline.Intake;
using Leadline.Observability;
using Leadline.Replies;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// Missed calls (PRODUCT.md 2.9, seed 004): each call is a row in <c>missed_calls</c>; an unanswered one comes in
/// through the same intake transaction as a form or a text (<see cref="IntakeService.AcceptInTxAsync"/>), as a lead
/// (source <c>missed_call</c>) with an SMS conversation and, at most once a day per caller, a text-back queued for
/// the <c>deliver</c> job and its compliance gate. Everything a decision changes commits in one transaction, so
/// a retried webhook, a second instance or a restart finds the call decided and sends nothing twice.
/// </summary>
public sealed partial class MissedCalls(Db db, IntakeService intakes, Metrics metrics, TimeProvider clock,
    ILogger<MissedCalls> logger)
{
    public const string Dialing = "dialing";
    public const string Answered = "answered";
    public const string Texted = "texted";
    public const string Suppressed = "suppressed";
    public const string NoCallerId = "no_caller_id";
    public const string AutoReplyOff = "auto_reply_off";
    public const string Paused = "paused";

    /// <summary>A caller gets one text-back in this time, however often they call.</summary>
    public static readonly TimeSpan TextBackWindow = TimeSpan.FromHours(24);

    /// <summary>The inbound message a missed call leaves in the conversation.</summary>
    public const string InboundBody = "(missed call)";

    private sealed record CallRow(string Mode, string Outcome, Guid? LeadId, Guid? ConversationId);

    private sealed record LastText(string CallSid, long TextedAt);

    private const string InsertCall = """
        INSERT INTO missed_calls (id, tenant_id, source, call_sid, caller, called, mode, outcome, dial_status, called_at, created_at, updated_at)
        VALUES (@Id, @TenantId, @Source, @CallId, @Caller, @Called, @Mode, @Outcome, @DialStatus, @CalledAt, @Now, @Now)
        ON CONFLICT (tenant_id, source, call_sid) DO NOTHING
        """;

    private const string Key = "tenant_id = @TenantId AND source = @Source AND call_sid = @CallId";

    // The row lock this takes (PostgreSQL) makes a second copy of the same status callback wait, then find it decided.
    private const string ClaimDialing = $"""
        UPDATE missed_calls SET outcome = @Outcome, dial_status = @DialStatus, updated_at = @Now
        WHERE {Key} AND outcome = 'dialing'
        RETURNING mode
        """;

    // One row per caller: concurrent calls from one number meet on its key, and only the one that finds no text in
    // the window (or no row) gets a row back. This is the "once a day" rule, without a check-then-insert race.
    private const string ClaimText = """
        INSERT INTO missed_call_texts (tenant_id, caller, call_sid, texted_at) VALUES (@TenantId, @Caller, @CallId, @Now)
        ON CONFLICT (tenant_id, caller) DO UPDATE SET call_sid = excluded.call_sid, texted_at = excluded.texted_at
        WHERE missed_call_texts.texted_at <= @Since
        RETURNING call_sid
        """;

    /// <summary>Day mode: the owner's phone rings first. Returns the call's outcome so far (<see cref="Dialing"/> for a new call).</summary>
    public async Task<string> RingOwnerAsync(Tenant tenant, MissedCall call, CancellationToken ct) =>
        await db.InTransactionAsync(async tx =>
        {
            long now = Now();
            if (await tx.ExecuteAsync(InsertCall, NewCall(tenant, call, MissedCallMode.Day, Dialing, now, null)) == 0)
            {
                return await tx.QuerySingleAsync<string>($"SELECT outcome FROM missed_calls WHERE {Key}", KeyOf(tenant, call));
            }
            await Audit.RecordAsync(tx, tenant.Id, null, "missed_call.dialing",
                new { call_sid = call.CallId, source = call.Source, mode = "day" }, now, tenant.ConfigVersion);
            return Dialing;
        }, ct, DbPriority.Intake);

    /// <summary>The owner answered (Twilio's <c>DialCallStatus</c> completed): the call is recorded and nothing else happens.</summary>
    public async Task AnsweredAsync(Tenant tenant, MissedCall call, string dialStatus, CancellationToken ct)
    {
        bool changed = await db.InTransactionAsync(async tx =>
        {
            long now = Now();
            // A status callback for a call whose first webhook went elsewhere still leaves a record.
            await tx.ExecuteAsync(InsertCall, NewCall(tenant, call, MissedCallMode.Day, Dialing, now, null));
            if (await tx.QuerySingleOrDefaultAsync<string>(ClaimDialing, Claim(tenant, call, Answered, dialStatus, now)) is null)
            {
                return false;
            }
            await Audit.RecordAsync(tx, tenant.Id, null, "missed_call.answered",
                new { call_sid = call.CallId, source = call.Source, mode = "day", dial_status = dialStatus }, now, tenant.ConfigVersion);
            return true;
        }, ct, DbPriority.Intake);
        if (changed)
        {
            Count(tenant, call, MissedCallMode.Day, Answered);
        }
    }

    /// <summary>Whether this call is still ringing the owner (it came in by day and no dial outcome has arrived).</summary>
    public async Task<bool> IsRingingOwnerAsync(Tenant tenant, MissedCall call, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>($"SELECT outcome FROM missed_calls WHERE {Key}", KeyOf(tenant, call)) == Dialing;
    }

    /// <summary>
    /// Nobody answered (evening, night, or the owner's phone rang out): the caller becomes a lead through the intake and is texted back,
    /// unless they were texted in the last 24 hours. The same call a second time changes nothing.
    /// </summary>
    public async Task<MissedCallResult> MissAsync(Tenant tenant, MissedCall call, MissedCallMode mode, string? dialStatus, CancellationToken ct)
    {
        MissedCallResult result = await db.InTransactionAsync(tx => MissInTxAsync(tx, tenant, call, mode, dialStatus), ct, DbPriority.Intake);
        if (!result.Duplicate)
        {
            Count(tenant, call, result.Mode, result.Outcome);
        }
        return result;
    }

    /// <summary>A call to a paused tenant: the caller hears the message, and nothing is stored or sent.</summary>
    public void CountPaused(Tenant tenant, MissedCall call, MissedCallMode mode) => Count(tenant, call, mode, Paused);

    private async Task<MissedCallResult> MissInTxAsync(Tx tx, Tenant tenant, MissedCall call, MissedCallMode mode, string? dialStatus)
    {
        long now = Now();
        if (await tx.ExecuteAsync(InsertCall, NewCall(tenant, call, mode, "deciding", now, dialStatus)) == 0)
        {
            // Known already: a call that rang the owner is finished here, once; anything else is a retried webhook.
            string? rang = await tx.QuerySingleOrDefaultAsync<string>(ClaimDialing, Claim(tenant, call, "deciding", dialStatus, now));
            if (rang is null)
            {
                CallRow known = await tx.QuerySingleAsync<CallRow>(
                    $"SELECT mode, outcome, lead_id AS LeadId, conversation_id AS ConversationId FROM missed_calls WHERE {Key}", KeyOf(tenant, call));
                return new MissedCallResult(known.LeadId, known.ConversationId, Enum.Parse<MissedCallMode>(known.Mode, ignoreCase: true), known.Outcome, true);
            }
            mode = Enum.Parse<MissedCallMode>(rang, ignoreCase: true);
        }
        var decision = new { call_sid = call.CallId, source = call.Source, mode = MissedCallHours.Name(mode), dial_status = dialStatus };

        if (call.Caller is not { } caller)
        {
            await FinishAsync(tx, tenant, call, NoCallerId, null, null, null, now);
            await Audit.RecordAsync(tx, tenant.Id, null, "missed_call." + NoCallerId, decision, now, tenant.ConfigVersion);
            return new MissedCallResult(null, null, mode, NoCallerId, false);
        }

        string outcome;
        LastText? earlier = null;
        if (!tenant.Settings.AutoReply)
        {
            outcome = AutoReplyOff;
        }
        else if (await tx.QuerySingleOrDefaultAsync<string>(ClaimText, new
                 { TenantId = tenant.Id, Caller = caller, call.CallId, Now = now, Since = now - (long)TextBackWindow.TotalMilliseconds }) is null)
        {
            outcome = Suppressed;
            earlier = await tx.QuerySingleAsync<LastText>(
                "SELECT call_sid AS CallSid, texted_at AS TextedAt FROM missed_call_texts WHERE tenant_id = @TenantId AND caller = @caller",
                new { TenantId = tenant.Id, caller });
        }
        else
        {
            outcome = Texted;
        }

        // The text-back goes by SMS, and the caller's answer to it (an SMS) must land in the same conversation. It is
        // a fixed template in the tenant's language with the business name and the booking link, not a draft.
        string language = tenant.Settings.Languages.FirstOrDefault() == "ar" ? "ar" : "en";
        IntakeResult intake = await intakes.AcceptInTxAsync(tx, tenant, new InboundMessage
        {
            Channel = "voice",
            Source = "missed_call",
            ExternalId = call.Source + ":" + call.CallId,
            ProviderMessageId = call.CallId,
            Phone = caller,
            FirstName = call.FirstName,
            LastName = call.LastName,
            Body = InboundBody,
            LeadSource = "missed_call",
            SourceIp = call.SourceIp,
        }, new IntakeRules
        {
            Dedupe = false,
            ConversationChannel = "sms",
            // Calling the business is the caller's own request to hear from it: the implied consent a text-back rests on.
            ImpliedConsent = new ConsentEvidence("missed_call", $"Called {call.Called ?? "the business line"}; the call was not answered",
                call.SourceIp, call.CallId),
            Reply = outcome == Texted ? IntakeReply.Text : IntakeReply.None,
            Text = outcome == Texted ? ReplyTemplates.RenderMissedCall(tenant, language, call.FirstName) : null,
        });
        Guid leadId = intake.LeadId;
        Guid conversationId = intake.ConversationId;
        Guid? messageId = intake.ReplyId;

        await FinishAsync(tx, tenant, call, outcome, leadId, conversationId, messageId, now);
        await Audit.RecordAsync(tx, tenant.Id, leadId, "missed_call." + outcome, new
        {
            decision.call_sid,
            decision.source,
            decision.mode,
            decision.dial_status,
            message_id = messageId,
            texted_before = earlier is null ? null : new { call_sid = earlier.CallSid, at = Times.From(earlier.TextedAt) },
        }, now, tenant.ConfigVersion);
        return new MissedCallResult(leadId, conversationId, mode, outcome, false);
    }

    private static Task FinishAsync(Tx tx, Tenant tenant, MissedCall call, string outcome, Guid? leadId, Guid? conversationId, Guid? messageId, long now) =>
        tx.ExecuteAsync($"""
            UPDATE missed_calls SET outcome = @outcome, lead_id = @leadId, conversation_id = @conversationId, message_id = @messageId,
                                    updated_at = @now
            WHERE {Key}
            """, new { TenantId = tenant.Id, call.Source, call.CallId, outcome, leadId, conversationId, messageId, now });

    private static object NewCall(Tenant tenant, MissedCall call, MissedCallMode mode, string outcome, long now, string? dialStatus) => new
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant.Id,
        call.Source,
        call.CallId,
        call.Caller,
        call.Called,
        Mode = MissedCallHours.Name(mode),
        Outcome = outcome,
        DialStatus = dialStatus,
        CalledAt = call.CalledAt.ToUnixTimeMilliseconds(),
        Now = now,
    };

    private static object KeyOf(Tenant tenant, MissedCall call) => new { TenantId = tenant.Id, call.Source, call.CallId };

    private static object Claim(Tenant tenant, MissedCall call, string outcome, string? dialStatus, long now) =>
        new { TenantId = tenant.Id, call.Source, call.CallId, Outcome = outcome, DialStatus = dialStatus, Now = now };

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Count(Tenant tenant, MissedCall call, MissedCallMode mode, string outcome)
    {
        metrics.Increment("missed_calls_total", ("mode", MissedCallHours.Name(mode)), ("outcome", outcome));
        LogDecided(tenant.Slug, call.Source, call.CallId, MissedCallHours.Name(mode), outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ({Source}) for tenant {Tenant} in {Mode} mode: {Outcome}")]
    private partial void LogDecided(string tenant, string source, string callId, string mode, string outcome);
}
