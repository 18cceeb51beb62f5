using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Tenants;

/// <summary>
/// A tenant's own Twilio account (PRODUCT.md 2.10: provider credentials per tenant, encrypted at rest): the operator
/// manages any tenant's at <c>/v1/tenants/{id}/credentials/twilio</c>, a tenant its own at
/// <c>/v1/admin/credentials/twilio</c>. A tenant without one texts through the instance's (TWILIO_* variables).
/// The auth token goes in and never comes out: views show its last four characters.
/// </summary>
public static partial class TwilioCredentialsApi
{
    public static IEndpointRouteBuilder MapTwilioCredentials(this IEndpointRouteBuilder app)
    {
        var own = app.MapGroup("/v1/admin/credentials").RequireTenant().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        own.MapGet("/twilio", (Tenant tenant, TwilioCredentials credentials, TwilioAccounts accounts, CancellationToken ct) =>
                GetAsync(tenant, credentials, accounts, ct))
            .WithName("GetOwnTwilioCredentials").WithSummary(GetSummary).ProducesProblem(StatusCodes.Status409Conflict);
        own.MapPut("/twilio", (TwilioCredentialsRequest body, Tenant tenant, HttpContext http, TwilioCredentials credentials, CancellationToken ct) =>
                PutAsync(body, tenant, Actor(http), credentials, ct))
            .WithName("SetOwnTwilioCredentials").WithSummary(PutSummary).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        own.MapDelete("/twilio", (Tenant tenant, HttpContext http, TwilioCredentials credentials, CancellationToken ct) =>
                DeleteAsync(tenant, Actor(http), credentials, ct))
            .WithName("RemoveOwnTwilioCredentials").WithSummary(DeleteSummary).ProducesProblem(StatusCodes.Status404NotFound);

        var any = app.MapGroup("/v1/tenants/{id}/credentials").RequireOperator().WithTags("Tenants")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        any.MapGet("/twilio", async (string id, TenantStore store, TwilioCredentials credentials, TwilioAccounts accounts, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await GetAsync(tenant, credentials, accounts, ct) : Problems.NotFound("tenant"))
            .WithName("GetTenantTwilioCredentials").WithSummary(GetSummary).ProducesProblem(StatusCodes.Status409Conflict);
        any.MapPut("/twilio", async (string id, TwilioCredentialsRequest body, TenantStore store, TwilioCredentials credentials, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await PutAsync(body, tenant, "operator", credentials, ct) : Problems.NotFound("tenant"))
            .WithName("SetTenantTwilioCredentials").WithSummary(PutSummary).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        any.MapDelete("/twilio", async (string id, TenantStore store, TwilioCredentials credentials, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await DeleteAsync(tenant, "operator", credentials, ct) : Problems.NotFound("tenant"))
            .WithName("RemoveTenantTwilioCredentials").WithSummary(DeleteSummary);
        return app;
    }

    private const string GetSummary = "Whether the tenant has its own Twilio account: its SID, sender numbers and the auth token's last 4 characters.";
    private const string PutSummary = "Set the tenant's own Twilio account (stored encrypted); texts and webhook signatures use it at once.";
    private const string DeleteSummary = "Remove the tenant's own Twilio account; it goes back to the instance's (TWILIO_* variables).";

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    // Twilio's auth tokens are 32 hexadecimal digits; any plausible secret is accepted, never one with a space in it.
    [GeneratedRegex(@"^[\x21-\x7E]{16,128}$")]
    private static partial Regex AuthTokenPattern();

    /// <summary>The operator token may act on a tenant through /v1/admin too (X-Tenant); the audit says who did.</summary>
    private static string Actor(HttpContext http) => http.Items.ContainsKey("operator") ? "operator" : "tenant";

    private static async Task<Results<Ok<TwilioCredentialsView>, ProblemHttpResult>> GetAsync(
        Tenant tenant, TwilioCredentials credentials, TwilioAccounts accounts, CancellationToken ct)
    {
        TwilioCredentials.Stored? stored = await credentials.ReadAsync(tenant, ct);
        if (stored is null)
        {
            return TypedResults.Ok(new TwilioCredentialsView(false, accounts.Default is null ? "none" : "instance", null, null, null, null, null));
        }
        if (stored.Account is not { } account)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Twilio credentials unreadable",
                $"Tenant '{tenant.Slug}' has Twilio credentials that this instance's key ring cannot decrypt: the key directory "
                + "(DATA_PROTECTION_KEYS_DIR) was lost or is not the one they were written with. Until it is restored or the "
                + "credentials are set again with PUT, the tenant sends no texts and its Twilio webhooks are refused.");
        }
        return TypedResults.Ok(TwilioCredentialsView.From(account, stored.UpdatedAt));
    }

    private static async Task<Results<Ok<TwilioCredentialsView>, ProblemHttpResult>> PutAsync(
        TwilioCredentialsRequest body, Tenant tenant, string actor, TwilioCredentials credentials, CancellationToken ct)
    {
        var errors = Validate(body, out TwilioAccount? account);
        if (account is null)
        {
            return Problems.Validation(errors);
        }
        DateTimeOffset updatedAt = await credentials.SetAsync(tenant, account, actor, ct);
        return TypedResults.Ok(TwilioCredentialsView.From(account, updatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Tenant tenant, string actor, TwilioCredentials credentials, CancellationToken ct) =>
        await credentials.RemoveAsync(tenant, actor, ct)
            ? TypedResults.NoContent()
            : Problems.Status(StatusCodes.Status404NotFound, "No Twilio credentials",
                $"Tenant '{tenant.Slug}' has no Twilio account of its own; it already uses the instance's (TWILIO_* variables), if any.");

    /// <summary>Checks every field; the account (numbers in E.164 form) when all are valid, else null and the errors.</summary>
    internal static Dictionary<string, string[]> Validate(TwilioCredentialsRequest body, out TwilioAccount? account)
    {
        var errors = new Dictionary<string, string[]>();
        string? sid = Blank(body.AccountSid);
        if (sid is null)
        {
            errors["account_sid"] = ["This field is required: the Account SID from the Twilio console, 'AC' and 32 hexadecimal digits."];
        }
        else if (!AccountSidPattern().IsMatch(sid))
        {
            errors["account_sid"] = [$"'{sid}' is not a Twilio Account SID: 'AC' followed by 32 hexadecimal digits (an API key SID starts with 'SK')."];
        }

        // The token itself is never repeated in an error: error bodies end up in logs and support tickets.
        string? token = Blank(body.AuthToken);
        if (token is null)
        {
            errors["auth_token"] = ["This field is required: the account's Auth Token from the Twilio console (32 hexadecimal digits)."];
        }
        else if (!AuthTokenPattern().IsMatch(token))
        {
            errors["auth_token"] = ["This is not an auth token: Twilio's are 32 hexadecimal digits (16 to 128 characters without spaces are accepted); check it was copied whole."];
        }

        string? from = Number(body.FromNumber, "from_number", errors);
        string? whatsApp = Number(body.WhatsAppFrom, "whatsapp_from", errors);
        if (Blank(body.FromNumber) is null && Blank(body.WhatsAppFrom) is null)
        {
            errors["from_number"] = ["Give the number texts come from in E.164 form, such as \"+15551234567\" (or only whatsapp_from, for WhatsApp only)."];
        }

        account = errors.Count == 0 ? new TwilioAccount(sid!, token!, from, whatsApp) : null;
        return errors;
    }

    private static string? Number(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (Blank(value) is not { } given)
        {
            return null;
        }
        string bare = field == "whatsapp_from" ? Phones.WithoutWhatsAppPrefix(given).Number : given;
        if (Phones.International(bare) is not { } number)
        {
            errors[field] = [$"'{given}' is not a phone number in E.164 form, such as \"+15551234567\"."];
            return null;
        }
        return number;
    }

    private static string? Blank(string? value) => value?.Trim() is { Length: > 0 } v ? v : null;
}

public sealed record TwilioCredentialsRequest(
    string? AccountSid, string? AuthToken, string? FromNumber, [property: JsonPropertyName("whatsapp_from")] string? WhatsAppFrom)
{
    // A record prints every property; the auth token must not reach a log through a message that carries the request.
    public override string ToString() =>
        $"TwilioCredentialsRequest {{ AccountSid = {AccountSid}, FromNumber = {FromNumber}, WhatsAppFrom = {WhatsAppFrom} }}";
}

/// <summary>
/// A tenant's Twilio account as shown: <c>set</c> says whether it has its own, <c>in_use</c> which account its texts
/// go through (<c>tenant</c>, <c>instance</c> or <c>none</c>), and the auth token shows only its last 4 characters.
/// </summary>
public sealed record TwilioCredentialsView(
    bool Set, string InUse, string? AccountSid, string? AuthToken, string? FromNumber,
    [property: JsonPropertyName("whatsapp_from")] string? WhatsAppFrom, DateTimeOffset? UpdatedAt)
{
    public static TwilioCredentialsView From(TwilioAccount account, DateTimeOffset updatedAt) =>
        new(true, "tenant", account.AccountSid, Mask(account.AuthToken), account.SmsFrom, account.WhatsAppFrom, updatedAt);

    public static string Mask(string secret) => "****" + secret[^Math.Min(4, secret.Length)..];
}
