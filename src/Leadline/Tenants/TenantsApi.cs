using System.Text.RegularExpressions;
using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Replies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Tenants;

public static partial class TenantsApi
{
    public static IEndpointRouteBuilder MapTenants(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants").RequireOperator().WithTags("Tenants")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateAsync).WithName("CreateTenant")
            .WithSummary("Create a tenant; the response holds its API key, shown only this once.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListTenants");
        group.MapGet("/{id}", GetAsync).WithName("GetTenant").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id}", PatchAsync).WithName("UpdateTenant").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/pause", (string id, TenantAdmin admin, CancellationToken ct) => admin.SetStatusAsync(id, "paused", ct))
            .WithName("PauseTenant").WithSummary("Stop taking leads for this tenant (intake answers 423).");
        group.MapPost("/{id}/activate", (string id, TenantAdmin admin, CancellationToken ct) => admin.SetStatusAsync(id, "active", ct))
            .WithName("ActivateTenant");
        group.MapPost("/{id}/rotate-api-key", RotateAsync).WithName("RotateTenantApiKey")
            .WithSummary("Issue a new API key; the old one stops working at once.");
        group.MapGet("/{id}/usage", UsageAsync).WithName("GetTenantUsage")
            .WithSummary("This month's leads, messages and model tokens, and this hour's sending against the hourly outbound cap.");
        group.MapPost("/{id}/resume-sending", ResumeSendingAsync).WithName("ResumeTenantSending")
            .WithSummary("Lift the hourly outbound cap for the rest of the tenant's current hour and send the messages it held.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    private static async Task<Results<Created<TenantCreated>, ProblemHttpResult>> CreateAsync(
        CreateTenantRequest body, TenantStore store, Db db, TenantsOptions options, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        if (await store.SlugExistsAsync(body.Slug!, ct))
        {
            return Problems.Status(409, "Slug taken", $"A tenant with slug '{body.Slug}' already exists; choose another slug.");
        }
        var settings = SettingsFrom(body, options);
        var (tenant, key) = await db.InTransactionAsync(tx => store.CreateAsync(tx, body.Slug!, body.Name!.Trim(), settings), ct);
        return TypedResults.Created($"/v1/tenants/{tenant.Id}", TenantCreated.From(tenant, key));
    }

    internal static TenantSettings SettingsFrom(CreateTenantRequest body, TenantsOptions options) => new()
    {
        BusinessName = body.BusinessName?.Trim() ?? body.Name!.Trim(),
        BookingLink = body.BookingLink ?? options.BookingLink,
        Timezone = body.Timezone ?? "UTC",
        DefaultCountry = (body.DefaultCountry ?? "US").ToUpperInvariant(),
        Currency = (body.Currency ?? "USD").ToUpperInvariant(),
        OwnerEmail = body.OwnerEmail,
    };

    internal static Dictionary<string, string[]> Validate(CreateTenantRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            errors["name"] = ["This field is required."];
        }
        if (string.IsNullOrWhiteSpace(body.Slug) || !SlugPattern().IsMatch(body.Slug))
        {
            errors["slug"] = ["Use 1-63 lower-case letters, digits and hyphens, e.g. 'harbor-plumbing'."];
        }
        if (body.Timezone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(body.Timezone, out _))
        {
            errors["timezone"] = [$"'{body.Timezone}' is not an IANA time zone such as 'America/Chicago'."];
        }
        if (body.BookingLink is not null && (!Uri.TryCreate(body.BookingLink, UriKind.Absolute, out Uri? link) || link.Scheme is not ("http" or "https")))
        {
            errors["booking_link"] = ["Give an absolute http(s) URL."];
        }
        if (TenantSettings.DefaultCountryError(body.DefaultCountry) is { } country)
        {
            errors["default_country"] = [country];
        }
        if (body.Currency is not null && !Regex.IsMatch(body.Currency, "^[A-Za-z]{3}$"))
        {
            errors["currency"] = ["Use a three-letter ISO currency code such as 'USD'."];
        }
        if (body.OwnerEmail is not null && ContactNormalizer.Email(body.OwnerEmail) is null)
        {
            errors["owner_email"] = ["Give a valid e-mail address."];
        }
        return errors;
    }

    private static async Task<Ok<List<TenantView>>> ListAsync(TenantStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(TenantView.From).ToList());

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetAsync(string id, TenantStore store, CancellationToken ct) =>
        await store.FindByIdOrSlugAsync(id, ct) is { } tenant ? TypedResults.Ok(TenantView.From(tenant)) : Problems.NotFound("tenant");

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> PatchAsync(
        string id, UpdateTenantRequest body, TenantStore store, Db db, CancellationToken ct)
    {
        if (body.Name is not null && string.IsNullOrWhiteSpace(body.Name))
        {
            return Problems.Validation(new() { ["name"] = ["The name cannot be empty."] });
        }
        Tenant? tenant = await store.FindByIdOrSlugAsync(id, ct);
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }
        if (body.Name is not null)
        {
            await db.InTransactionAsync(tx => tx.ExecuteAsync("UPDATE tenants SET name = @Name, updated_at = @Now WHERE id = @Id",
                new { Name = body.Name.Trim(), Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tenant.Id }), ct);
            store.Invalidate();
        }
        return TypedResults.Ok(TenantView.From((await store.FindAsync(tenant.Id, ct))!));
    }

    private static async Task<Results<Ok<TenantCreated>, ProblemHttpResult>> RotateAsync(string id, TenantStore store, CancellationToken ct)
    {
        Tenant? tenant = await store.FindByIdOrSlugAsync(id, ct);
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }
        string key = await store.RotateKeyAsync(tenant.Id, ct);
        return TypedResults.Ok(TenantCreated.From(tenant, key));
    }

    private static async Task<Results<Ok<TenantUsage>, ProblemHttpResult>> UsageAsync(string id, TenantStore store, Db db, TimeProvider clock, CancellationToken ct)
    {
        Tenant? tenant = await store.FindByIdOrSlugAsync(id, ct);
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(await TenantUsage.ReadAsync(db, tenant, clock.GetUtcNow(), ct));
    }

    /// <summary>
    /// The operator's way past a reached hourly outbound cap: the cap is lifted until the tenant's clock hour ends
    /// (the next hour counts from 0 under the cap again) and the held messages go out now. The answer is the sending
    /// state after the lift.
    /// </summary>
    private static async Task<Results<Ok<SendingState>, ProblemHttpResult>> ResumeSendingAsync(
        string id, TenantStore store, OutboundCap cap, CancellationToken ct)
    {
        Tenant? tenant = await store.FindByIdOrSlugAsync(id, ct);
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(await cap.ResumeAsync(tenant, ct));
    }
}

/// <summary>
/// Pause and activate, shared by the HTTP API and the CLI. The mailbox poller of this process is woken at once, so that
/// a paused tenant's mailbox stops being read and an activated one's mail is read now (other processes: within a minute).
/// </summary>
public sealed class TenantAdmin(TenantStore store, Db db, Mail.Mailboxes mailboxes)
{
    public async Task<Results<Ok<TenantView>, ProblemHttpResult>> SetStatusAsync(string id, string status, CancellationToken ct)
    {
        Tenant? tenant = await store.FindByIdOrSlugAsync(id, ct);
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }
        await db.InTransactionAsync(tx => tx.ExecuteAsync("UPDATE tenants SET status = @status, updated_at = @Now WHERE id = @Id",
            new { status, Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tenant.Id }), ct);
        store.Invalidate();
        mailboxes.Pulse();
        return TypedResults.Ok(TenantView.From(tenant with { Status = status }));
    }
}

public sealed record CreateTenantRequest(
    string? Name, string? Slug, string? Timezone, string? BusinessName, string? BookingLink, string? DefaultCountry,
    string? Currency, string? OwnerEmail);

public sealed record UpdateTenantRequest(string? Name);

public sealed record TenantView(Guid Id, string Slug, string Name, string Status, int ConfigVersion, TenantSettings Settings)
{
    public static TenantView From(Tenant t) => new(t.Id, t.Slug, t.Name, t.Status, t.ConfigVersion, t.Settings);
}

public sealed record TenantCreated(Guid Id, string Slug, string Name, string Status, int ConfigVersion, TenantSettings Settings, string ApiKey)
{
    public static TenantCreated From(Tenant t, string apiKey) => new(t.Id, t.Slug, t.Name, t.Status, t.ConfigVersion, t.Settings, apiKey);
}

/// <summary>
/// What a tenant used this calendar month, in its time zone: leads, messages and model tokens against its monthly
/// token budget (<c>budget_state</c>: unlimited, ok, warning from 80%, exhausted at 100%: replies from the offline engine);
/// and in <c>sending</c>, this clock hour's messages against the hourly outbound cap.
/// </summary>
public sealed record TenantUsage(
    long LeadsTotal, long LeadsThisMonth, long MessagesInThisMonth, long MessagesOutThisMonth, string Month, long InputTokens,
    long OutputTokens, long TotalTokens, long ModelCalls, long? MonthlyTokenBudget, double? BudgetUsedRatio, string BudgetState)
{
    private sealed record Counts(long LeadsTotal, long LeadsThisMonth, long MessagesInThisMonth, long MessagesOutThisMonth);

    /// <summary>This hour's sending: sent_this_hour, hourly_outbound_cap, paused, cap_lifted, held.</summary>
    public SendingState? Sending { get; init; }

    public static async Task<TenantUsage> ReadAsync(Db db, Tenant tenant, DateTimeOffset now, CancellationToken ct)
    {
        TimeZoneInfo zone = tenant.Settings.Zone();
        DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
        var firstLocal = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        long monthStart = new DateTimeOffset(firstLocal, zone.GetUtcOffset(firstLocal)).ToUnixTimeMilliseconds();
        await using var connection = await db.OpenAsync(ct);
        Counts counts = await connection.QuerySingleAsync<Counts>("""
            SELECT
              (SELECT COUNT(*) FROM leads WHERE tenant_id = @Id) AS leads_total,
              (SELECT COUNT(*) FROM leads WHERE tenant_id = @Id AND created_at >= @monthStart) AS leads_this_month,
              (SELECT COUNT(*) FROM messages WHERE tenant_id = @Id AND direction = 'in' AND created_at >= @monthStart) AS messages_in_this_month,
              (SELECT COUNT(*) FROM messages WHERE tenant_id = @Id AND direction = 'out' AND created_at >= @monthStart) AS messages_out_this_month
            """, new { tenant.Id, monthStart });
        BudgetState budget = await TokenBudget.ReadAsync(connection, tenant, now);
        return new TenantUsage(counts.LeadsTotal, counts.LeadsThisMonth, counts.MessagesInThisMonth, counts.MessagesOutThisMonth,
            budget.Month, budget.InputTokens, budget.OutputTokens, budget.UsedTokens, budget.ModelCalls, budget.Budget, budget.Ratio,
            budget.State)
        {
            Sending = await OutboundCap.ReadAsync(connection, tenant, now),
        };
    }
}
