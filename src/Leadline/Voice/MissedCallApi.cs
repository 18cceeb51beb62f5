using System.Globalization;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Tenants;

namespace Leadline.Voice;

/// <summary>
/// <c>POST /webhooks/missed-call</c> (seed 001): a missed call reported by a phone system other than Twilio, as plain
/// JSON with a tenant API key (or the operator token, acting on the default tenant). The caller is texted back as for a
/// Twilio call; <c>call_id</c> makes the event idempotent, and a caller texted in the last 24 hours is not texted again.
/// </summary>
public static class MissedCallApi
{
    public static IEndpointRouteBuilder MapMissedCallApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/missed-call", PostAsync)
            .RequireTenant()
            .WithTags("Intake")
            .WithName("IntakeMissedCall")
            .WithSummary("Report a missed call; the caller gets a text-back at most once a day. status: accepted, duplicate (same call_id) or suppressed (texted in the last 24 h).")
            .Accepts<MissedCallRequest>("application/json")
            .Produces<MissedCallResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status423Locked);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpRequest request, Tenant tenant, MissedCalls calls, TimeProvider clock, CancellationToken ct)
    {
        if (IntakeApi.Paused(tenant) is { } paused)
        {
            return paused;
        }
        var (body, error) = await JsonBody.ReadAsync<MissedCallRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        DateTimeOffset now = clock.GetUtcNow();
        string? callId = body!.CallId?.Trim();
        if (string.IsNullOrEmpty(callId))
        {
            errors["call_id"] = ["This field is required: the phone system's id for the call, so a repeated event is recognised."];
        }
        else if (callId.Length > 200)
        {
            errors["call_id"] = ["At most 200 characters."];
        }
        string? caller = Phones.ToE164(body.From, tenant.Settings.DefaultCountry);
        if (string.IsNullOrWhiteSpace(body.From))
        {
            errors["from"] = ["This field is required: the caller's phone number, which gets the text-back."];
        }
        else if (caller is null)
        {
            errors["from"] = [$"'{body.From}' is not a phone number; use international format such as +15551234567."];
        }
        string? called = body.To?.Trim();
        if (called is { Length: > 50 })
        {
            errors["to"] = ["At most 50 characters: the number that was called."];
        }
        DateTimeOffset calledAt = now;
        if (!string.IsNullOrWhiteSpace(body.CalledAt)
            && !DateTimeOffset.TryParse(body.CalledAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out calledAt))
        {
            errors["called_at"] = [$"'{body.CalledAt}' is not a time; use ISO 8601 such as \"2026-11-21T15:00:00Z\"."];
        }
        else if (calledAt > now.AddMinutes(5))
        {
            errors["called_at"] = ["The call cannot be in the future; send when it rang (ISO 8601, with its offset or Z)."];
        }
        string? name = body.CallerName?.Trim();
        if (name is { Length: > 200 })
        {
            errors["caller_name"] = ["At most 200 characters."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        string[] names = (name ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var call = new MissedCall("webhook", callId!, caller, string.IsNullOrEmpty(called) ? null : called, calledAt)
        {
            FirstName = names.ElementAtOrDefault(0),
            LastName = names.ElementAtOrDefault(1),
            SourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
        };
        MissedCallResult result = await calls.MissAsync(tenant, call, MissedCallHours.ModeAt(tenant.Settings, calledAt), null, ct);
        string status = result.Duplicate ? "duplicate" : result.Outcome == MissedCalls.Suppressed ? "suppressed" : "accepted";
        return TypedResults.Accepted($"/v1/leads/{result.LeadId}", new MissedCallResponse(result.LeadId!.Value, result.ConversationId!.Value, status));
    }
}

public sealed record MissedCallRequest(string? CallId, string? From, string? To, string? CalledAt, string? CallerName);

public sealed record MissedCallResponse(Guid LeadId, Guid ConversationId, string Status);
