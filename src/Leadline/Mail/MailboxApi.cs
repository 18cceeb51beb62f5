using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Mail;

/// <summary>
/// A tenant's lead mailbox (PRODUCT.md 2.1, e-mail intake): a tenant manages its own at <c>/v1/admin/mailbox</c>, the
/// operator any tenant's at <c>/v1/tenants/{id}/mailbox</c>. The password goes in and never comes out. GET also shows
/// how the reading stands and the tenant's SendGrid Inbound Parse URL.
/// </summary>
public static class MailboxApi
{
    public static IEndpointRouteBuilder MapMailboxes(this IEndpointRouteBuilder app)
    {
        var own = app.MapGroup("/v1/admin/mailbox").RequireTenant().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        own.MapGet("", (Tenant tenant, HttpContext http, CancellationToken ct) => GetAsync(tenant, http, ct))
            .WithName("GetOwnMailbox").WithSummary(GetSummary).ProducesProblem(StatusCodes.Status409Conflict);
        own.MapPut("", (MailboxRequest body, Tenant tenant, HttpContext http, CancellationToken ct) => PutAsync(body, tenant, Actor(http), http, ct))
            .WithName("SetOwnMailbox").WithSummary(PutSummary).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        own.MapDelete("", (Tenant tenant, HttpContext http, CancellationToken ct) => DeleteAsync(tenant, Actor(http), http, ct))
            .WithName("RemoveOwnMailbox").WithSummary(DeleteSummary).ProducesProblem(StatusCodes.Status404NotFound);
        own.MapPost("/rotate-inbound-secret", (Tenant tenant, HttpContext http, CancellationToken ct) => RotateAsync(tenant, http, ct))
            .WithName("RotateOwnInboundSecret").WithSummary(RotateSummary);

        var any = app.MapGroup("/v1/tenants/{id}/mailbox").RequireOperator().WithTags("Tenants")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        any.MapGet("", async (string id, TenantStore store, HttpContext http, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await GetAsync(tenant, http, ct) : Problems.NotFound("tenant"))
            .WithName("GetTenantMailbox").WithSummary(GetSummary).ProducesProblem(StatusCodes.Status409Conflict);
        any.MapPut("", async (string id, MailboxRequest body, TenantStore store, HttpContext http, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await PutAsync(body, tenant, "operator", http, ct) : Problems.NotFound("tenant"))
            .WithName("SetTenantMailbox").WithSummary(PutSummary).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        any.MapDelete("", async (string id, TenantStore store, HttpContext http, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await DeleteAsync(tenant, "operator", http, ct) : Problems.NotFound("tenant"))
            .WithName("RemoveTenantMailbox").WithSummary(DeleteSummary);
        any.MapPost("/rotate-inbound-secret", async (string id, TenantStore store, HttpContext http, CancellationToken ct) =>
                await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? await RotateAsync(tenant, http, ct) : Problems.NotFound("tenant"))
            .WithName("RotateTenantInboundSecret").WithSummary(RotateSummary);
        return app;
    }

    private const string GetSummary = "The tenant's mailbox (never its password), how reading it stands, and its SendGrid Inbound Parse URL.";
    private const string PutSummary = "Set the mailbox leads are read from (IMAP; the password is stored encrypted); reading starts at once.";
    private const string DeleteSummary = "Stop reading the tenant's own mailbox (the default tenant goes back to the IMAP_* variables, if set).";
    private const string RotateSummary = "Replace the secret in the tenant's SendGrid Inbound Parse URL; the old URL stops working at once.";

    /// <summary>The operator token may act on a tenant through /v1/admin too (X-Tenant); the audit says who did.</summary>
    private static string Actor(HttpContext http) => http.Items.ContainsKey("operator") ? "operator" : "tenant";

    private static async Task<IResult> GetAsync(Tenant tenant, HttpContext http, CancellationToken ct)
    {
        var mailboxes = http.RequestServices.GetRequiredService<Mailboxes>();
        Mailboxes.Stored? stored = await mailboxes.ReadOwnAsync(tenant, ct);
        if (stored is { Settings: null })
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Mailbox unreadable",
                $"Tenant '{tenant.Slug}' has a mailbox that this instance's key ring cannot decrypt: the key directory "
                + "(DATA_PROTECTION_KEYS_DIR) was lost or is not the one it was written with. Until it is restored or the "
                + "mailbox is set again with PUT, it is not read.");
        }
        return TypedResults.Ok(await ViewAsync(tenant, stored, http, ct));
    }

    private static async Task<IResult> PutAsync(MailboxRequest body, Tenant tenant, string actor, HttpContext http, CancellationToken ct)
    {
        var mailboxes = http.RequestServices.GetRequiredService<Mailboxes>();
        Mailboxes.Stored? stored = await mailboxes.ReadOwnAsync(tenant, ct);
        var errors = Validate(body, stored?.Settings, out MailboxSettings? settings);
        if (settings is null)
        {
            return Problems.Validation(errors);
        }
        DateTimeOffset updatedAt = await mailboxes.SetAsync(tenant, settings, actor, ct);
        return TypedResults.Ok(await ViewAsync(tenant, new Mailboxes.Stored(settings, updatedAt), http, ct));
    }

    private static async Task<IResult> DeleteAsync(Tenant tenant, string actor, HttpContext http, CancellationToken ct) =>
        await http.RequestServices.GetRequiredService<Mailboxes>().RemoveAsync(tenant, actor, ct)
            ? TypedResults.NoContent()
            : Problems.Status(StatusCodes.Status404NotFound, "No mailbox",
                $"Tenant '{tenant.Slug}' has no mailbox of its own; set one with PUT.");

    private static async Task<IResult> RotateAsync(Tenant tenant, HttpContext http, CancellationToken ct)
    {
        await http.RequestServices.GetRequiredService<InboundSecrets>().RotateAsync(tenant, ct);
        return await GetAsync(tenant, http, ct);
    }

    private static async Task<MailboxView> ViewAsync(Tenant tenant, Mailboxes.Stored? stored, HttpContext http, CancellationToken ct)
    {
        var services = http.RequestServices;
        MailboxSettings? instance = services.GetRequiredService<Mailboxes>().InstanceFor(tenant);
        MailboxSettings? inUse = stored?.Settings ?? instance;
        MailboxStatus.Row? row = await services.GetRequiredService<MailboxStatus>().ReadAsync(tenant.Id, ct);
        MailboxStatusView? status = inUse is null ? null
            : row is null || row.Identity != inUse.Identity ? new MailboxStatusView("pending", null, null, null, null, null, null, 0, null, null)
            : MailboxStatusView.From(row);
        string secret = await services.GetRequiredService<InboundSecrets>().GetOrCreateAsync(tenant, ct);
        MailOptions options = services.GetRequiredService<MailOptions>();
        string baseUrl = options.PublicBaseUrl?.GetLeftPart(UriPartial.Path).TrimEnd('/') ?? $"{http.Request.Scheme}://{http.Request.Host}";
        return new MailboxView(
            stored is not null,
            stored is not null ? "tenant" : instance is not null ? "instance" : "none",
            inUse?.Host, inUse?.Port, inUse?.Username, inUse?.Tls, inUse?.Folder,
            stored?.UpdatedAt,
            options.PollerEnabled,
            status,
            new InboundParseView($"{baseUrl}/webhooks/email/inbound/{secret}", secret));
    }

    /// <summary>
    /// Checks every field; the settings when all are valid, else null and the errors. Without a password, the stored
    /// one is kept, but only for the same server and login: a password is never sent to a host it was not given for.
    /// </summary>
    internal static Dictionary<string, string[]> Validate(MailboxRequest body, MailboxSettings? stored, out MailboxSettings? settings)
    {
        settings = null;
        var errors = new Dictionary<string, string[]>();
        string? host = Blank(body.Host)?.ToLowerInvariant();
        string? username = Blank(body.Username);
        string? tls = Blank(body.Tls)?.ToLowerInvariant();
        if (host is null)
        {
            errors["host"] = ["This field is required: the IMAP server, such as \"imap.gmail.com\"."];
        }
        if (username is null)
        {
            errors["username"] = ["This field is required: the mailbox's login, often its address."];
        }
        string? password = body.Password is { Length: > 0 } given ? given
            : stored is not null && stored.Host == host && stored.Username == username ? stored.Password : null;
        if (password is null)
        {
            errors["password"] = ["This field is required: the mailbox's password (for Gmail, an app password)."];
        }
        if (tls is not null && !MailboxSettings.TlsModes.Contains(tls))
        {
            errors["tls"] = [$"'{body.Tls}' is not one of {string.Join(", ", MailboxSettings.TlsModes)}."];
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        int port = body.Port ?? (tls is "starttls" or "none" ? 143 : 993);
        var candidate = new MailboxSettings(host!, port, username!, password!, tls ?? (port == 993 ? "implicit" : "starttls"),
            Blank(body.Folder) ?? "INBOX");
        errors = candidate.Validate();
        settings = errors.Count == 0 ? candidate : null;
        return errors;
    }

    private static string? Blank(string? value) => value?.Trim() is { Length: > 0 } v ? v : null;
}

public sealed record MailboxRequest(string? Host, int? Port, string? Username, string? Password, string? Tls, string? Folder)
{
    // A record prints every property; the password must not reach a log through a message that carries the request.
    public override string ToString() => $"MailboxRequest {{ Host = {Host}, Port = {Port}, Username = {Username}, Tls = {Tls}, Folder = {Folder} }}";
}

/// <summary>
/// A tenant's mailbox as shown: <c>set</c> says whether it has its own, <c>in_use</c> which one is read (<c>tenant</c>,
/// <c>instance</c> for the default tenant's IMAP_* variables, or <c>none</c>). The password is never shown.
/// </summary>
public sealed record MailboxView(
    bool Set, string InUse, string? Host, int? Port, string? Username, string? Tls, string? Folder, DateTimeOffset? UpdatedAt,
    bool PollerEnabled, MailboxStatusView? Status, InboundParseView InboundParse);

/// <summary>
/// How reading stands: <c>pending</c> (not tried yet), <c>connecting</c>, <c>connected</c>, <c>error</c> or
/// <c>auth_failed</c> (the server refused the login; see <c>last_error</c>). <c>wait_mode</c> says how new mail is
/// noticed (<c>idle</c>: at once; <c>polling</c>: the server has no IDLE, so every POLLER_INTERVAL_SECONDS) and
/// <c>marking</c> how read mail is told apart (<c>keyword</c>; <c>seen</c> with the highest UID read, for servers
/// that keep no keywords; <c>uid</c>, the highest UID read only, for mailboxes whose flags cannot be set).
/// </summary>
public sealed record MailboxStatusView(
    string State, DateTimeOffset? LastConnectedAt, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastProcessedAt,
    long? LastUid, long? UidValidity, long ProcessedTotal, string? WaitMode, string? Marking)
{
    public static MailboxStatusView From(MailboxStatus.Row row) => new(
        row.State, At(row.LastConnectedAt), row.LastError, At(row.LastErrorAt), At(row.LastProcessedAt), row.LastUid, row.UidValidity,
        row.ProcessedTotal, row.WaitMode, row.Marking);

    private static DateTimeOffset? At(long? ms) => ms is long value ? Times.From(value) : null;
}

/// <summary>Where SendGrid Inbound Parse posts this tenant's mail; the secret in it is the credential.</summary>
public sealed record InboundParseView(string Url, string Secret);
