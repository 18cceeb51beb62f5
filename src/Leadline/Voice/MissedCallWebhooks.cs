using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// Twilio's voice webhooks for missed calls (PRODUCT.md 2.9). <c>/webhooks/voice/incoming</c> is the number's "A call
/// comes in" URL: in day mode with an owner phone it answers <c>&lt;Dial&gt;</c> to the owner, whose outcome Twilio posts
/// to <c>/webhooks/voice/dial-status</c>; otherwise (and when the owner does not answer) the caller hears the message
/// and is texted back. Both are signed like every Twilio webhook (<see cref="TwilioWebhooks.VerifyAsync"/>), with the
/// tenant named by <c>?tenant=slug</c>, and answer TwiML.
/// </summary>
public static class MissedCallWebhooks
{
    public const string DialStatusPath = "/webhooks/voice/dial-status";

    /// <summary>The number's "Call status changes" URL: the safety net for a caller who hangs up while the owner's phone rings.</summary>
    public const string CallStatusPath = "/webhooks/voice/status";

    /// <summary>
    /// Twilio's stand-ins for a withheld caller ID (anonymous, restricted, blocked, unknown, unavailable): they look
    /// like numbers, but there is nobody to text.
    /// </summary>
    private static readonly HashSet<string> s_withheld = ["+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"];

    public static IEndpointRouteBuilder MapMissedCallWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/voice/incoming", IncomingAsync)
            .WithTags("Webhooks").WithName("TwilioVoiceIncoming").ExcludeFromDescription();
        app.MapPost(DialStatusPath, DialStatusAsync)
            .WithTags("Webhooks").WithName("TwilioVoiceDialStatus").ExcludeFromDescription();
        app.MapPost(CallStatusPath, CallStatusAsync)
            .WithTags("Webhooks").WithName("TwilioVoiceCallStatus").ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> IncomingAsync(
        HttpContext http, MissedCalls calls, VoiceOptions options, TimeProvider clock, CancellationToken ct)
    {
        var (signed, error) = await TwilioWebhooks.VerifyAsync(http, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = signed!;
        if (Call(http, tenant, form, clock) is not { } call)
        {
            return NotACall();
        }
        MissedCallMode mode = MissedCallHours.ModeAt(tenant.Settings, call.CalledAt);
        if (tenant.IsPaused)
        {
            calls.CountPaused(tenant, call, mode);
            return Spoken(tenant, MissedCalls.Paused);
        }
        if (mode == MissedCallMode.Day && tenant.Settings.OwnerPhone is { } owner)
        {
            string state = await calls.RingOwnerAsync(tenant, call, ct);
            // A retried webhook for a call already decided gets the message again, not a second ring.
            return state == MissedCalls.Dialing
                ? Twiml.Response(Twiml.Dial(owner, tenant.Settings.DialTimeoutSeconds, DialStatusUrl(http.Request, options, tenant), call.Called))
                : Spoken(tenant, state);
        }
        MissedCallResult result = await calls.MissAsync(tenant, call, mode, null, ct);
        return Spoken(tenant, result.Outcome);
    }

    private static async Task<IResult> DialStatusAsync(HttpContext http, MissedCalls calls, TimeProvider clock, CancellationToken ct)
    {
        var (signed, error) = await TwilioWebhooks.VerifyAsync(http, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = signed!;
        if (Call(http, tenant, form, clock) is not { } call)
        {
            return NotACall();
        }
        string? status = form["DialCallStatus"].FirstOrDefault()?.Trim().ToLowerInvariant();
        switch (status)
        {
            case "completed" or "answered":
                await calls.AnsweredAsync(tenant, call, status, ct);
                return Twiml.Response(Twiml.Hangup());
            case "no-answer" or "busy" or "failed" or "canceled":
                if (tenant.IsPaused)
                {
                    calls.CountPaused(tenant, call, MissedCallMode.Day);
                    return Spoken(tenant, MissedCalls.Paused);
                }
                MissedCallResult result = await calls.MissAsync(tenant, call, MissedCallMode.Day, status, ct);
                return Spoken(tenant, result.Outcome);
            default:
                return Problems.Status(400, "Not a dial status",
                    "The form needs DialCallStatus (completed, answered, no-answer, busy, failed or canceled), as Twilio posts to a <Dial> action URL.");
        }
    }

    /// <summary>
    /// The end of a call that came in. Twilio posts the <c>&lt;Dial&gt;</c> outcome before the call ends, so a call
    /// still ringing the owner here ended without one: the caller hung up while it rang. That caller is texted back
    /// like an unanswered one (once a day, through the compliance gate); any other call is already decided.
    /// </summary>
    private static async Task<IResult> CallStatusAsync(HttpContext http, MissedCalls calls, TimeProvider clock, CancellationToken ct)
    {
        var (signed, error) = await TwilioWebhooks.VerifyAsync(http, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = signed!;
        if (Call(http, tenant, form, clock) is not { } call)
        {
            return NotACall();
        }
        string? status = form["CallStatus"].FirstOrDefault()?.Trim().ToLowerInvariant();
        if (status is "completed" or "no-answer" or "busy" or "failed" or "canceled"
            && !tenant.IsPaused && await calls.IsRingingOwnerAsync(tenant, call, ct))
        {
            await calls.MissAsync(tenant, call, MissedCallMode.Day, "caller-hung-up", ct);
        }
        return Results.Text(TwilioWebhooks.EmptyTwiml, "text/xml");
    }

    private static MissedCall? Call(HttpContext http, Tenant tenant, IFormCollection form, TimeProvider clock)
    {
        string? sid = form["CallSid"].FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(sid) || sid.Length > 100)
        {
            return null;
        }
        string? caller = Phones.ToE164(form["From"].FirstOrDefault(), tenant.Settings.DefaultCountry);
        string? called = form["To"].FirstOrDefault()?.Trim() is { Length: > 0 and <= 50 } to ? to : null;
        return new MissedCall("twilio", sid, caller is null || s_withheld.Contains(caller) ? null : caller, called, clock.GetUtcNow())
        {
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
        };
    }

    private static IResult NotACall() =>
        Problems.Status(400, "Not a Twilio call", "The form needs a CallSid, as Twilio sends for a voice call.");

    private static IResult Spoken(Tenant tenant, string outcome) =>
        Twiml.Response(Twiml.Say(MissedCallMessages.Spoken(tenant, outcome), Twiml.Language(tenant.Settings.Languages)), Twiml.Hangup());

    /// <summary>
    /// Where Twilio posts the outcome of the owner's ring: the public URL this webhook was called on (so Twilio signs
    /// what Leadline checks), with the tenant named, whichever way this request named it.
    /// </summary>
    private static string DialStatusUrl(HttpRequest request, VoiceOptions options, Tenant tenant)
    {
        string here = TwilioWebhooks.PublicUrl(request, options.PublicBaseUrl);
        string root = here[..^(request.Path.Value + request.QueryString.Value).Length];
        return $"{root}{DialStatusPath}?tenant={Uri.EscapeDataString(tenant.Slug)}";
    }
}
