using System.Data.Common;
using Dapper;
using Leadline.Admin;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Knowledge;

/// <summary>FAQ CRUD for the calling tenant (PRODUCT.md 2.7 and 3); every change makes a new config version.</summary>
public static class FaqsApi
{
    public static IEndpointRouteBuilder MapFaqs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/faqs").RequireTenant().WithTags("Knowledge")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", ListAsync).WithName("ListFaqs").WithSummary("All FAQs of the tenant, oldest first.");
        group.MapPost("/", CreateAsync).WithName("CreateFaq")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/import", FaqImport.ImportAsync).WithName("ImportFaqs")
            .WithSummary("Create or update many FAQs in one config version; 'replace': true also deletes those not listed.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetAsync).WithName("GetFaq")
            .WithSummary("One FAQ, by our id or by the tenant's external id.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateFaq").WithSummary("Change a FAQ; absent fields stay as they are.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteFaq").ProducesProblem(StatusCodes.Status404NotFound);
        // The Google API style alias, for tools that expect a custom method on the collection.
        app.MapPost("/v1/admin/faqs:import", FaqImport.ImportAsync).RequireTenant().WithTags("Knowledge").ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<FaqList>> ListAsync(Tenant tenant, Db db, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        int version = await connection.ExecuteScalarAsync<int>("SELECT config_version FROM tenants WHERE id = @Id", new { tenant.Id });
        return TypedResults.Ok(new FaqList(version, await FaqSql.ListAsync(connection, tenant.Id)));
    }

    private static async Task<Results<Ok<FaqView>, ProblemHttpResult>> GetAsync(string id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        return await FaqSql.FindAsync(connection, null, tenant.Id, id) is { } faq ? TypedResults.Ok(faq) : Problems.NotFound("FAQ");
    }

    private static async Task<Results<Created<FaqSaved>, ProblemHttpResult>> CreateAsync(
        FaqRequest body, Tenant tenant, Db db, TenantStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FaqView? faq = FaqValidation.Apply(body, null, errors, "", clock.GetUtcNow());
        if (faq is null)
        {
            return Problems.Validation(errors);
        }
        try
        {
            int version = await db.InTransactionAsync(async tx =>
            {
                await FaqSql.InsertAsync(tx, tenant.Id, faq);
                tx.OnCommitted(store.Invalidate);
                return await ConfigVersions.CommitAsync(tx, tenant.Id, $"faq {faq.ExternalId ?? faq.Id.ToString()} created", Now(clock));
            }, ct);
            return TypedResults.Created($"/v1/admin/faqs/{faq.Id}", FaqSaved.From(faq, version));
        }
        catch (DbException e) when (FaqSql.IsDuplicateExternalId(e))
        {
            return DuplicateExternalId(faq.ExternalId);
        }
    }

    private static async Task<Results<Ok<FaqSaved>, ProblemHttpResult>> UpdateAsync(
        string id, FaqRequest body, Tenant tenant, Db db, TenantStore store, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return await db.InTransactionAsync<Results<Ok<FaqSaved>, ProblemHttpResult>>(async tx =>
            {
                FaqView? current = await FaqSql.FindAsync(tx.Connection, tx.Transaction, tenant.Id, id);
                if (current is null)
                {
                    return Problems.NotFound("FAQ");
                }
                var errors = new Dictionary<string, string[]>();
                FaqView? faq = FaqValidation.Apply(body, current, errors, "", clock.GetUtcNow());
                if (faq is null)
                {
                    return Problems.Validation(errors);
                }
                if (faq.SameContent(current))
                {
                    int unchanged = await tx.QuerySingleAsync<int>("SELECT config_version FROM tenants WHERE id = @Id", new { tenant.Id });
                    return TypedResults.Ok(FaqSaved.From(current, unchanged));
                }
                await FaqSql.UpdateAsync(tx, tenant.Id, faq);
                tx.OnCommitted(store.Invalidate);
                int version = await ConfigVersions.CommitAsync(tx, tenant.Id, $"faq {faq.ExternalId ?? faq.Id.ToString()} updated", Now(clock));
                return TypedResults.Ok(FaqSaved.From(faq, version));
            }, ct);
        }
        catch (DbException e) when (FaqSql.IsDuplicateExternalId(e))
        {
            return DuplicateExternalId(body.ExternalId);
        }
    }

    private static async Task<Results<Ok<FaqDeleted>, ProblemHttpResult>> DeleteAsync(
        string id, Tenant tenant, Db db, TenantStore store, TimeProvider clock, CancellationToken ct) =>
        await db.InTransactionAsync<Results<Ok<FaqDeleted>, ProblemHttpResult>>(async tx =>
        {
            FaqView? current = await FaqSql.FindAsync(tx.Connection, tx.Transaction, tenant.Id, id);
            if (current is null || await FaqSql.DeleteAsync(tx, tenant.Id, current.Id) == 0)
            {
                return Problems.NotFound("FAQ");
            }
            tx.OnCommitted(store.Invalidate);
            int version = await ConfigVersions.CommitAsync(tx, tenant.Id, $"faq {current.ExternalId ?? current.Id.ToString()} deleted", Now(clock));
            return TypedResults.Ok(new FaqDeleted(current.Id, current.ExternalId, version));
        }, ct);

    internal static ProblemHttpResult DuplicateExternalId(string? externalId) =>
        Problems.Status(StatusCodes.Status409Conflict, "External id taken",
            $"Another FAQ of this tenant already has external_id '{externalId}'; choose another id or update that FAQ instead.");

    internal static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}

public sealed record FaqList(int ConfigVersion, List<FaqView> Faqs);

public sealed record FaqDeleted(Guid Id, string? ExternalId, int ConfigVersion);

/// <summary>A FAQ as stored by a change, with the config version that change made.</summary>
public sealed record FaqSaved(
    Guid Id, string? ExternalId, string Question, string Answer, List<string> Tags, Dictionary<string, FaqText> Translations,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int ConfigVersion)
{
    public static FaqSaved From(FaqView f, int version) =>
        new(f.Id, f.ExternalId, f.Question, f.Answer, f.Tags, f.Translations, f.CreatedAt, f.UpdatedAt, version);
}
