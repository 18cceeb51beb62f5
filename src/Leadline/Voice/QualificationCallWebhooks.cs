using System.Globalization;
using System.Xml.Linq;
using Dapper;
using Leadline.Compliance;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// Twilio's webhooks for a qualification call, each signature-checked (<see cref="TwilioWebhooks.VerifyAsync"/>) and
/// naming the tenant and our call id in its URL. <c>start</c> (the call's Url) greets and asks the first question;
/// <c>answer</c> (each <c>&lt;Gather&gt;</c>'s action) stores the lead's speech for one question and asks the next;
/// <c>status</c> (the StatusCallback) records how the call ended and queues the finalize job. Every answer is
/// computed from the URL and the stored call alone, so a request Twilio repeats gets the same TwiML and stores nothing twice.
/// </summary>
public static class QualificationCallWebhooks
{
    public const string PathPrefix = "/webhooks/voice/qualify";

    /// <summary>Seconds of silence before a question counts as unanswered.</summary>
    public const int AnswerTimeoutSeconds = 5;

    /// <summary>A question that got no words is asked once more, then left unanswered.</summary>
    public const int MaxAttempts = 2;

    public const int MaxAnswerChars = 2000;

    public static IEndpointRouteBuilder MapQualificationCallWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(PathPrefix + "/start", StartAsync).WithTags("Webhooks").WithName("QualificationCallStart").ExcludeFromDescription();
        app.MapPost(PathPrefix + "/answer", AnswerAsync).WithTags("Webhooks").WithName("QualificationCallAnswer").ExcludeFromDescription();
        app.MapPost(PathPrefix + "/status", StatusAsync).WithTags("Webhooks").WithName("QualificationCallStatus").ExcludeFromDescription();
        return app;
    }

    private sealed record CallRow(Guid Id, Guid LeadId, string ToNumber, string Status, string Questions, string? FirstName);

    private static async Task<IResult> StartAsync(HttpContext http, Db db, VoiceOptions options, TimeProvider clock, CancellationToken ct)
    {
        var (request, call, error) = await ReadAsync(http, db, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = request!;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(tx => AdvanceAsync(tx, tenant, call!, QualificationCalls.InProgress, form["CallSid"].FirstOrDefault(), now), ct);

        List<string> questions = Json.Deserialize<List<string>>(call!.Questions) ?? [];
        string language = QualificationCallWording.LanguageOf(tenant.Settings);
        string voice = Twiml.Language(tenant.Settings.Languages);
        return Twiml.Response(
            Twiml.Say(QualificationCallWording.For(language).Opening(tenant, call.FirstName), voice),
            Ask(options, tenant, call.Id, questions, 0, attempt: 1, voice, prefix: null));
    }

    private static async Task<IResult> AnswerAsync(HttpContext http, Db db, VoiceOptions options, TimeProvider clock, CancellationToken ct)
    {
        var (request, call, error) = await ReadAsync(http, db, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = request!;
        List<string> questions = Json.Deserialize<List<string>>(call!.Questions) ?? [];
        IQueryCollection query = http.Request.Query;
        if (!int.TryParse(query["q"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= questions.Count)
        {
            return Problems.Status(400, "Unknown question",
                $"The answer URL needs q, the number of the question answered: 0 to {questions.Count - 1} for this call.");
        }
        string? rawAttempt = query["attempt"].FirstOrDefault();
        int attempt = 1;
        if (rawAttempt is not null && !(int.TryParse(rawAttempt, NumberStyles.None, CultureInfo.InvariantCulture, out attempt) && attempt is >= 1 and <= MaxAttempts))
        {
            return Problems.Status(400, "Unknown attempt", $"attempt is the try at the question, 1 to {MaxAttempts}.");
        }

        string speech = form["SpeechResult"].FirstOrDefault()?.Trim() ?? "";
        speech = speech.Length > MaxAnswerChars ? speech[..MaxAnswerChars] : speech;
        string language = QualificationCallWording.LanguageOf(tenant.Settings);
        string voice = Twiml.Language(tenant.Settings.Languages);
        if (speech.Length == 0 && attempt < MaxAttempts)
        {
            // Nothing heard: the same question once more, on its next try, before moving on.
            return Twiml.Response(Ask(options, tenant, call.Id, questions, index, attempt + 1, voice, QualificationCallWording.For(language).NotCaught));
        }

        double? confidence = double.TryParse(form["Confidence"].FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double c)
            && c is >= 0 and <= 1 ? c : null;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool optOut = await db.InTransactionAsync(async tx =>
        {
            await AdvanceAsync(tx, tenant, call, QualificationCalls.InProgress, form["CallSid"].FirstOrDefault(), now);
            // The first answer to a question stands: Twilio repeating the webhook adds nothing.
            int stored = await tx.ExecuteAsync("""
                INSERT INTO qualification_call_answers (call_id, tenant_id, question_index, question, status, answer, confidence, created_at)
                VALUES (@Id, @TenantId, @index, @question, @status, @answer, @confidence, @now)
                ON CONFLICT (call_id, question_index) DO NOTHING
                """, new
            {
                call.Id,
                TenantId = tenant.Id,
                index,
                question = questions[index],
                status = speech.Length > 0 ? "answered" : "unanswered",
                answer = speech.Length > 0 ? speech : null,
                confidence = speech.Length > 0 ? confidence : null,
                now,
            });
            // What stands is the first answer: a repeated webhook with another transcript is answered as the first was.
            string standing = stored > 0 ? speech : await tx.QuerySingleOrDefaultAsync<string?>(
                "SELECT answer FROM qualification_call_answers WHERE call_id = @Id AND tenant_id = @TenantId AND question_index = @index",
                new { call.Id, TenantId = tenant.Id, index }) ?? "";
            // "Stop calling me" on the phone is an opt-out like a STOP by text (PRODUCT.md 2.6): it takes effect at once,
            // the call ends politely, and the delivery gate holds back the text that would have followed.
            bool stop = standing.Length > 0 && ComplianceKeywords.Classify(standing) == ComplianceRequest.OptOut;
            if (stop && stored > 0)
            {
                bool changed = await OptOuts.SetAsync(tx, tenant.Id, call.LeadId, OptOuts.Contact(call.ToNumber), optedOut: true,
                    new ConsentEvidence("qualification-call", speech, Reference: form["CallSid"].FirstOrDefault()), now);
                await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "compliance.opt_out",
                    new { call_id = call.Id, question = index, changed, source = "qualification-call" }, now, tenant.ConfigVersion);
            }
            return stop;
        }, ct);

        if (optOut)
        {
            return Twiml.Response(Twiml.Say(QualificationCallWording.For(language).OptedOut, voice), Twiml.Hangup());
        }

        if (index + 1 < questions.Count)
        {
            return Twiml.Response(Ask(options, tenant, call.Id, questions, index + 1, attempt: 1, voice, prefix: null));
        }
        return Twiml.Response(Twiml.Say(QualificationCallWording.For(language).Closing(tenant), voice), Twiml.Hangup());
    }

    private static async Task<IResult> StatusAsync(HttpContext http, Db db, JobQueue jobs, TimeProvider clock, CancellationToken ct)
    {
        var (request, call, error) = await ReadAsync(http, db, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = request!;
        string? reported = form["CallStatus"].FirstOrDefault()?.Trim().ToLowerInvariant();
        string? status = reported switch
        {
            "queued" or "initiated" or "ringing" => QualificationCalls.Dialing,
            QualificationCalls.InProgress or QualificationCalls.Completed or QualificationCalls.NoAnswer or QualificationCalls.Busy
                or QualificationCalls.Failed or QualificationCalls.Canceled => reported,
            _ => null,
        };
        if (status is null)
        {
            return Problems.Status(400, "Not a call status callback",
                "The form needs a CallStatus such as ringing, in-progress, completed, no-answer, busy, failed or canceled.");
        }
        int? duration = int.TryParse(form["CallDuration"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : null;
        string? errorCode = form["ErrorCode"].FirstOrDefault() is { Length: > 0 } code ? $"Twilio error {code}" : null;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            bool moved = await AdvanceAsync(tx, tenant, call!, status, form["CallSid"].FirstOrDefault(), now, duration, errorCode);
            if (moved && QualificationCalls.Ended.Contains(status))
            {
                await Audit.RecordAsync(tx, tenant.Id, call!.LeadId, "call.ended", new
                {
                    call_id = call.Id,
                    status,
                    duration_seconds = duration,
                    error_code = form["ErrorCode"].FirstOrDefault(),
                }, now, tenant.ConfigVersion);
                await jobs.EnqueueAsync(tx, tenant.Id, new QualificationCallFinalizePayload(call.Id), call.Id.ToString());
            }
        }, ct);
        return Results.Text(TwilioWebhooks.EmptyTwiml, "text/xml");
    }

    /// <summary>The signed request and the call its URL names, or the error to answer instead.</summary>
    private static async Task<(TwilioWebhooks.Signed? Request, CallRow? Call, IResult? Error)> ReadAsync(HttpContext http, Db db, CancellationToken ct)
    {
        var (signed, error) = await TwilioWebhooks.VerifyAsync(http, ct);
        if (error is not null)
        {
            return (null, null, error);
        }
        if (!Guid.TryParse(http.Request.Query["call"].FirstOrDefault(), out Guid callId))
        {
            return (null, null, Problems.Status(400, "No call", "The webhook URL needs call=<id> of the qualification call, as Leadline gives Twilio."));
        }
        Tenant tenant = signed!.Tenant;
        CallRow? call;
        await using (var connection = await db.OpenAsync(ct))
        {
            call = await connection.QuerySingleOrDefaultAsync<CallRow>("""
                SELECT c.id, c.lead_id AS LeadId, c.to_number AS ToNumber, c.status, c.questions, l.first_name AS FirstName
                FROM qualification_calls c JOIN leads l ON l.id = c.lead_id
                WHERE c.id = @callId AND c.tenant_id = @TenantId
                """, new { callId, TenantId = tenant.Id });
        }
        return call is null
            ? (null, null, Problems.Status(404, "Unknown call", $"Tenant '{tenant.Slug}' has no qualification call {callId}."))
            : (signed, call, null);
    }

    /// <summary>Moves the call forward to <paramref name="status"/> (never back), keeping Twilio's SID; true when it moved.</summary>
    private static async Task<bool> AdvanceAsync(Tx tx, Tenant tenant, CallRow call, string status, string? sid, long now,
        int? duration = null, string? error = null)
    {
        bool ended = QualificationCalls.Ended.Contains(status);
        int moved = await tx.ExecuteAsync($"""
            UPDATE qualification_calls
            SET status = @status, provider_call_sid = COALESCE(provider_call_sid, @sid),
                answered_at = CASE WHEN @answered THEN COALESCE(answered_at, @now) ELSE answered_at END,
                ended_at = CASE WHEN @ended THEN COALESCE(ended_at, @now) ELSE ended_at END,
                duration_seconds = COALESCE(@duration, duration_seconds), last_error = COALESCE(@error, last_error), updated_at = @now
            WHERE id = @Id AND tenant_id = @TenantId AND {QualificationCalls.RankSql} < @rank
            """, new
        {
            status,
            sid,
            answered = status == QualificationCalls.InProgress,
            ended,
            duration,
            error,
            now,
            call.Id,
            TenantId = tenant.Id,
            rank = QualificationCalls.Rank(status),
        });
        if (moved > 0 && status == QualificationCalls.InProgress)
        {
            await Audit.RecordAsync(tx, tenant.Id, call.LeadId, "call.answered", new { call_id = call.Id, provider_call_sid = sid }, now, tenant.ConfigVersion);
        }
        return moved > 0;
    }

    /// <summary>Asks question <paramref name="index"/> and gathers the spoken answer for its <paramref name="attempt"/>th try.</summary>
    private static XElement Ask(VoiceOptions options, Tenant tenant, Guid callId, List<string> questions, int index, int attempt, string voice, string? prefix)
    {
        // PUBLIC_BASE_URL was there when the call was dialed; should it have been removed since, the action stays relative.
        string action = options.PublicBaseUrl is { } site
            ? QualificationCalls.AnswerUrl(site, tenant.Slug, callId, index, attempt)
            : $"answer?tenant={Uri.EscapeDataString(tenant.Slug)}&call={callId:D}&q={index}" + (attempt > 1 ? $"&attempt={attempt}" : "");
        string text = prefix is null ? questions[index] : prefix + " " + questions[index];
        return Twiml.GatherSpeech(action, voice, AnswerTimeoutSeconds, Twiml.Say(text, voice));
    }
}
