using Leadline.Compliance;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// Outbound qualification calls (PRODUCT.md 2.9, seed 003): Leadline phones a lead, asks the tenant's questions
/// (<c>call_questions</c>) by speech, and qualifies the lead from the answers. A call is a row and a job written in one
/// transaction; <see cref="QualificationCallJob"/> dials, <see cref="QualificationCallWebhooks"/> ask the questions and
/// store the answers, and when Twilio reports the end <see cref="QualificationCallFinalizeJob"/> qualifies and texts.
/// </summary>
public sealed class QualificationCalls(JobQueue jobs, TwilioAccounts twilio, VoiceOptions options)
{
    /// <summary>Not dialed yet: waiting for its job (or for the lead's calling hours).</summary>
    public const string Queued = "queued";

    /// <summary>Twilio accepted the call and is ringing the lead.</summary>
    public const string Dialing = "dialing";

    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string NoAnswer = "no-answer";
    public const string Busy = "busy";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static readonly string[] Ended = [Completed, NoAnswer, Busy, Failed, Canceled];

    /// <summary>
    /// Twilio ends a call after 4 hours unless told otherwise (TimeLimit). A call still dialing or in progress after
    /// that lost its status callback somewhere, and no longer stops a new call to the lead.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(4);

    /// <summary>How far along a status is; webhooks only ever move a call forward.</summary>
    public static int Rank(string status) => status switch
    {
        Queued => 0,
        Dialing => 1,
        InProgress => 2,
        _ => 3,
    };

    /// <summary><see cref="Rank"/> of the <c>status</c> column, in SQL both databases read.</summary>
    public const string RankSql = "(CASE status WHEN 'queued' THEN 0 WHEN 'dialing' THEN 1 WHEN 'in-progress' THEN 2 ELSE 3 END)";

    /// <summary>What is missing for this tenant to make calls, as a sentence naming the setting; null when nothing is.</summary>
    public string? MissingConfiguration(Tenant tenant)
    {
        TwilioAccount? account = twilio.For(tenant);
        if (account is null)
        {
            return $"Tenant '{tenant.Slug}' has no Twilio account to call from: give it one with PUT /v1/admin/credentials/twilio, "
                + "or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for the instance.";
        }
        if (account.SmsFrom is null)
        {
            return "The Twilio account has no number to call from: set from_number (PUT /v1/admin/credentials/twilio) or, for the "
                + "instance's account, TWILIO_FROM_NUMBER, to a Twilio number that can make calls.";
        }
        if (options.PublicBaseUrl is null)
        {
            return "Twilio fetches the call's questions from this server and reports the answers to it, so it needs its public URL; set PUBLIC_BASE_URL.";
        }
        return null;
    }

    private sealed record LeadPhone(string? Phone, long CreatedAt);

    private sealed record FirstContact(string Source, long CreatedAt);

    /// <summary>
    /// Queues a call to the lead in the caller's transaction: the call row, the consent evidence it relies on, an audit
    /// event and the dial job (unique per call, so however often it runs, the call is dialed once). A lead without a
    /// phone, one who opted out, or one already being called gets a refusal instead and nothing is written.
    /// </summary>
    /// <param name="basis">Why the lead may be called; by default, the inquiry the lead first sent us with the number.</param>
    public async Task<CallStart> StartAsync(Tx tx, Tenant tenant, Guid leadId, string startedBy, long now, ConsentEvidence? basis = null)
    {
        // Locked on PostgreSQL, so two requests to call the same lead cannot both find no call in progress.
        string lockRow = tx.Dialect == Dialect.Postgres ? " FOR UPDATE" : "";
        LeadPhone? lead = await tx.QuerySingleOrDefaultAsync<LeadPhone>(
            "SELECT phone, created_at AS CreatedAt FROM leads WHERE id = @leadId AND tenant_id = @TenantId" + lockRow,
            new { leadId, TenantId = tenant.Id });
        if (lead is null)
        {
            return CallStart.Refused(CallRefusal.UnknownLead);
        }
        if (lead.Phone is not { } phone)
        {
            return CallStart.Refused(CallRefusal.NoPhone);
        }
        bool? optedOut = await tx.QuerySingleOrDefaultAsync<bool?>(
            "SELECT opted_out FROM opt_outs WHERE tenant_id = @TenantId AND contact = @contact",
            new { TenantId = tenant.Id, contact = OptOuts.Contact(phone) });
        if (optedOut == true)
        {
            return CallStart.Refused(CallRefusal.OptedOut);
        }
        Guid? active = await tx.QuerySingleOrDefaultAsync<Guid?>("""
            SELECT id FROM qualification_calls
            WHERE tenant_id = @TenantId AND lead_id = @leadId
              AND (status = @Queued OR (status IN (@Dialing, @InProgress) AND updated_at >= @staleBefore))
            ORDER BY created_at DESC LIMIT 1
            """, new { TenantId = tenant.Id, leadId, Queued, Dialing, InProgress, staleBefore = now - (long)StaleAfter.TotalMilliseconds });
        if (active is not null)
        {
            return CallStart.Refused(CallRefusal.InProgress, active);
        }

        Guid callId = Guid.CreateVersion7();
        List<string> questions = Questions(tenant.Settings);
        await tx.ExecuteAsync("""
            INSERT INTO qualification_calls (id, tenant_id, lead_id, to_number, started_by, status, questions, created_at, updated_at)
            VALUES (@callId, @TenantId, @leadId, @phone, @startedBy, @Queued, @questions, @now, @now)
            """, new { callId, TenantId = tenant.Id, leadId, phone, startedBy, Queued, questions = Json.Serialize(questions), now });

        // A lead who sent us the number with an inquiry (a form, a text) asked to be contacted about it; the record
        // says which inquiry, so the consent view shows why the lead was called.
        basis ??= await FirstContactAsync(tx, tenant.Id, leadId, lead.CreatedAt);
        await OptOuts.RecordAsync(tx, tenant.Id, leadId, OptOuts.Contact(phone), "call_consent", basis with
        {
            Wording = $"{basis.Wording} Called for qualification ({startedBy}).",
            Reference = callId.ToString(),
        }, now);
        await Audit.RecordAsync(tx, tenant.Id, leadId, "call.queued", new
        {
            call_id = callId,
            started_by = startedBy,
            questions = questions.Count,
        }, now, tenant.ConfigVersion);
        await jobs.EnqueueAsync(tx, tenant.Id, new QualificationCallPayload(callId), callId.ToString());
        return new CallStart(callId, CallRefusal.None, null);
    }

    /// <summary>Channels whose leads are texting with us already: a call would interrupt a conversation under way.</summary>
    private static readonly string[] s_textChannels = ["sms", "whatsapp", "voice"];

    /// <summary>
    /// The <c>auto_call</c> setting, in the intake transaction of a new lead: a lead who left a phone number on a form
    /// or through a webhook is called with the same job as <c>POST /v1/leads/{id}/call</c>. Leads who texted, wrote on
    /// WhatsApp or called us are not (the text conversation is under way); a lead who cannot be called is noted in the
    /// audit trail with the reason.
    /// </summary>
    public async Task AutoStartAsync(Tx tx, Tenant tenant, Guid leadId, InboundMessage message, long now)
    {
        if (!tenant.Settings.AutoCall || message.Phone is null || s_textChannels.Contains(message.Channel))
        {
            return;
        }
        string? skipped = MissingConfiguration(tenant);
        if (skipped is null)
        {
            var basis = new ConsentEvidence(message.Source,
                $"The lead gave this number with an inquiry through {message.Source} on {Times.From(now):yyyy-MM-dd HH:mm} UTC.",
                message.SourceIp, message.ExternalId);
            CallStart start = await StartAsync(tx, tenant, leadId, "auto_call", now, basis);
            skipped = start.Refusal switch
            {
                CallRefusal.None => null,
                CallRefusal.OptedOut => "the number has opted out",
                CallRefusal.InProgress => "a call is in progress",
                _ => start.Refusal.ToString(),
            };
        }
        if (skipped is not null)
        {
            await Audit.RecordAsync(tx, tenant.Id, leadId, "call.skipped", new { started_by = "auto_call", reason = skipped }, now, tenant.ConfigVersion);
        }
    }

    private static async Task<ConsentEvidence> FirstContactAsync(Tx tx, Guid tenantId, Guid leadId, long leadCreatedAt)
    {
        FirstContact? first = await tx.QuerySingleOrDefaultAsync<FirstContact>("""
            SELECT source, created_at AS CreatedAt FROM inbound_events
            WHERE tenant_id = @tenantId AND lead_id = @leadId AND status = 'accepted'
            ORDER BY created_at LIMIT 1
            """, new { tenantId, leadId });
        string source = first?.Source ?? "lead";
        DateTimeOffset at = Times.From(first?.CreatedAt ?? leadCreatedAt);
        return new ConsentEvidence(source, $"The lead gave this number with an inquiry through {source} on {at:yyyy-MM-dd HH:mm} UTC.");
    }

    /// <summary>The questions a call asks: the tenant's (at most 5), or the default ones should the list be empty.</summary>
    public static List<string> Questions(TenantSettings settings)
    {
        List<string> asked = [.. settings.CallQuestions.Where(q => !string.IsNullOrWhiteSpace(q)).Select(q => q.Trim()).Take(TenantSettings.MaxCallQuestions)];
        return asked.Count > 0 ? asked : new TenantSettings().CallQuestions;
    }

    /// <summary>The URL Twilio fetches when the lead answers, which greets and asks the first question.</summary>
    public static string StartUrl(Uri site, string slug, Guid callId) => Url(site, "start", slug, callId);

    /// <summary>The URL Twilio posts the speech for question <paramref name="question"/> to, on its first or second try.</summary>
    public static string AnswerUrl(Uri site, string slug, Guid callId, int question, int attempt) =>
        Url(site, "answer", slug, callId) + $"&q={question}" + (attempt > 1 ? $"&attempt={attempt}" : "");

    /// <summary>The URL Twilio reports the call's outcome to.</summary>
    public static string StatusUrl(Uri site, string slug, Guid callId) => Url(site, "status", slug, callId);

    // The same base as TwilioWebhooks.PublicUrl uses to check signatures, so what Twilio signs is what we compare.
    private static string Url(Uri site, string step, string slug, Guid callId) =>
        $"{site.GetLeftPart(UriPartial.Path).TrimEnd('/')}{QualificationCallWebhooks.PathPrefix}/{step}?tenant={Uri.EscapeDataString(slug)}&call={callId:D}";
}

public enum CallRefusal
{
    None,
    UnknownLead,
    NoPhone,
    OptedOut,
    InProgress,
}

/// <summary>The call queued, or why none was.</summary>
public sealed record CallStart(Guid? CallId, CallRefusal Refusal, Guid? ActiveCallId)
{
    public static CallStart Refused(CallRefusal refusal, Guid? active = null) => new(null, refusal, active);
}
