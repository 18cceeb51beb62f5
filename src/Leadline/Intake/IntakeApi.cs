using System.Text.Json;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Intake;

public static class IntakeApi
{
    public static readonly string[] Channels = ["email", "sms", "whatsapp", "web_form", "chat", "voice"];

    public static IEndpointRouteBuilder MapIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/intake/webhook", WebhookAsync)
            .RequireTenant()
            .WithTags("Intake")
            .WithName("IntakeWebhook")
            .WithSummary("Receive a lead (seed 000 body); answers 202 once it is stored.")
            .Accepts<WebhookIntakeRequest>("application/json")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/webhooks/web-form", WebFormAsync)
            .RequireTenant()
            .WithTags("Intake")
            .WithName("IntakeWebForm")
            .WithSummary("Receive a web form submission (seed 001 body); idempotent on the Idempotency-Key header.")
            .Accepts<WebFormRequest>("application/json")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> WebhookAsync(
        HttpRequest request, Tenant tenant, IntakeService intake, IntakeRateLimit limits, CancellationToken ct)
    {
        if (Paused(tenant) is { } paused)
        {
            return paused;
        }
        var (body, error) = await JsonBody.ReadAsync<WebhookIntakeRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        string? eventId = Required(errors, "event_id", body!.EventId, 200);
        var (email, phone) = Contact(errors, tenant, body.Email, body.Phone);
        string? message = Required(errors, "message", body.Message, 10_000);
        Optional(errors, "subject", body.Subject, 500);
        Optional(errors, "first_name", body.FirstName, 100);
        Optional(errors, "last_name", body.LastName, 100);
        string channel = body.Channel?.Trim().ToLowerInvariant() ?? (email is not null ? "email" : "sms");
        if (!Channels.Contains(channel))
        {
            errors["channel"] = [$"'{body.Channel}' is not a channel; use one of {string.Join(", ", Channels)}."];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var (slot, refused) = await limits.AdmitAsync(tenant, channel, phone ?? email, "webhook", eventId, ct);
        if (refused is not null)
        {
            return refused;
        }

        IntakeResult result = await intake.AcceptAsync(tenant, new InboundMessage
        {
            Channel = channel,
            Source = "webhook",
            ExternalId = eventId,
            Email = email,
            Phone = phone,
            FirstName = body.FirstName?.Trim(),
            LastName = body.LastName?.Trim(),
            Subject = body.Subject?.Trim(),
            Body = message!,
            LeadSource = body.Source?.Trim() ?? "webhook",
            ProviderMessageId = body.MessageId?.Trim(),
            Metadata = body.Metadata,
        }, ct);
        limits.Settle(slot, result);
        return Accepted(result);
    }

    private static async Task<IResult> WebFormAsync(
        HttpRequest request, Tenant tenant, IntakeService intake, IntakeRateLimit limits, CancellationToken ct)
    {
        if (Paused(tenant) is { } paused)
        {
            return paused;
        }
        var (body, error) = await JsonBody.ReadAsync<WebFormRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        string? idempotencyKey = request.Headers["Idempotency-Key"].FirstOrDefault()?.Trim();
        if (idempotencyKey is { Length: > 200 })
        {
            errors["Idempotency-Key"] = ["The header must be at most 200 characters."];
        }
        var (email, phone) = Contact(errors, tenant, body!.Email, body.Phone);
        string? message = Required(errors, "message", body.Message, 10_000);
        Optional(errors, "name", body.Name, 200);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        string? externalId = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey;
        var (slot, refused) = await limits.AdmitAsync(tenant, "web_form", phone ?? email, "web-form", externalId, ct);
        if (refused is not null)
        {
            return refused;
        }

        string[] names = (body.Name ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        IntakeResult result = await intake.AcceptAsync(tenant, new InboundMessage
        {
            Channel = "web_form",
            Source = "web-form",
            ExternalId = externalId,
            Email = email,
            Phone = phone,
            FirstName = names.ElementAtOrDefault(0),
            LastName = names.ElementAtOrDefault(1),
            Body = message!,
            LeadSource = body.Source?.Trim() ?? "web_form",
        }, ct);
        limits.Settle(slot, result);
        return Accepted(result);
    }

    internal static IResult? Paused(Tenant tenant) => tenant.IsPaused
        ? Problems.Status(StatusCodes.Status423Locked, "Tenant paused",
            $"Tenant '{tenant.Slug}' is paused, so it takes no new leads. An operator can resume it with POST /v1/tenants/{tenant.Id}/activate.")
        : null;

    private static Accepted<IntakeResponse> Accepted(IntakeResult r) =>
        TypedResults.Accepted($"/v1/leads/{r.LeadId}", new IntakeResponse(r.LeadId, r.ConversationId, r.MessageId, r.Status));

    private static IResult Invalid(Dictionary<string, string[]> errors) => Problems.Validation(errors);

    private static string? Required(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["This field is required."];
            return null;
        }
        return Optional(errors, field, value, max);
    }

    private static string? Optional(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = [$"At most {max} characters."];
            return null;
        }
        return value?.Trim();
    }

    private static (string? Email, string? Phone) Contact(Dictionary<string, string[]> errors, Tenant tenant, string? rawEmail, string? rawPhone)
    {
        string? email = ContactNormalizer.Email(rawEmail);
        string? phone = Phones.ToE164(rawPhone, tenant.Settings.DefaultCountry);
        if (!string.IsNullOrWhiteSpace(rawEmail) && email is null)
        {
            errors["email"] = [$"'{rawEmail}' is not an e-mail address."];
        }
        if (!string.IsNullOrWhiteSpace(rawPhone) && phone is null)
        {
            errors["phone"] = [$"'{rawPhone}' is not a phone number; use international format such as +15551234567."];
        }
        if (string.IsNullOrWhiteSpace(rawEmail) && string.IsNullOrWhiteSpace(rawPhone))
        {
            errors["email"] = ["Give an e-mail address or a phone number, so the lead can be answered."];
        }
        return (email, phone);
    }
}

public sealed record WebhookIntakeRequest(
    string? EventId, string? Email, string? Phone, string? FirstName, string? LastName, string? Subject,
    string? Message, string? Channel, string? Source, string? MessageId, JsonElement? Metadata);

public sealed record WebFormRequest(string? Name, string? Phone, string? Email, string? Message, string? Source);

public sealed record IntakeResponse(Guid LeadId, Guid ConversationId, Guid MessageId, string Status);
