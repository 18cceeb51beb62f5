using System.Data.Common;
using System.Text.Json;
using Leadline.Admin;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;

namespace Leadline.Knowledge;

/// <summary>
/// Bulk import: a JSON list of FAQs, or <c>{"faqs": [...], "replace": true}</c>. Items that name an existing FAQ
/// (our id, or its external id) update it, the others are created; all or nothing, in one config version.
/// </summary>
public static class FaqImport
{
    public static async Task<IResult> ImportAsync(JsonElement body, Tenant tenant, Db db, TenantStore store, TimeProvider clock, CancellationToken ct)
    {
        FaqImportRequest request;
        try
        {
            request = body.ValueKind == JsonValueKind.Array
                ? new FaqImportRequest(body.Deserialize<List<FaqImportItem?>>(Json.Options), false)
                : body.Deserialize<FaqImportRequest>(Json.Options) ?? new FaqImportRequest(null, null);
        }
        catch (JsonException e)
        {
            return Problems.Status(400, "Invalid import",
                $"A field has the wrong type at '{e.Path}'. Send a list of {{question, answer, tags?, translations?, external_id?}} objects.");
        }
        if (request.Faqs is not { Count: > 0 } items)
        {
            return Problems.Validation(new() { ["faqs"] = ["Send at least one FAQ: a JSON list, or an object with a 'faqs' list."] });
        }
        if (items.Count > FaqValidation.MaxImport)
        {
            return Problems.Validation(new() { ["faqs"] = [$"At most {FaqValidation.MaxImport} FAQs per import (got {items.Count}); split the list."] });
        }

        try
        {
            return await db.InTransactionAsync(tx => ApplyAsync(tx, tenant, items, request.Replace == true, store, clock), ct);
        }
        catch (DbException e) when (FaqSql.IsDuplicateExternalId(e))
        {
            return Problems.Status(StatusCodes.Status409Conflict, "External id taken",
                "An imported external_id belongs to another FAQ of this tenant that the import does not change; rename one of them.");
        }
    }

    private static async Task<IResult> ApplyAsync(Tx tx, Tenant tenant, List<FaqImportItem?> items, bool replace, TenantStore store, TimeProvider clock)
    {
        List<FaqView> existing = await FaqSql.ListAsync(tx, tenant.Id);
        var byId = existing.ToDictionary(f => f.Id);
        var byExternalId = existing.Where(f => f.ExternalId is not null).ToDictionary(f => f.ExternalId!);
        var errors = new Dictionary<string, string[]>();
        var seenExternalIds = new Dictionary<string, int>();
        var seenIds = new HashSet<Guid>();
        var results = new List<(FaqView Faq, FaqView? Current)>();
        DateTimeOffset now = clock.GetUtcNow();

        for (int i = 0; i < items.Count; i++)
        {
            string prefix = $"faqs[{i}].";
            if (items[i] is not { } item)
            {
                errors[$"faqs[{i}]"] = ["Each item must be an object with question and answer."];
                continue;
            }
            FaqRequest request = item.ToRequest();
            FaqView? current = item.OurId is Guid ourId ? byId.GetValueOrDefault(ourId)
                : request.ExternalId is { } key ? byExternalId.GetValueOrDefault(key.Trim()) : null;
            if (item.OurId is Guid unknown && current is null)
            {
                errors[prefix + "id"] = [$"No FAQ {unknown} exists for this tenant; leave 'id' out to create one."];
                continue;
            }
            // An existing FAQ named by the import is replaced as a whole, like a PUT of every field.
            FaqView? faq = FaqValidation.Apply(request, null, errors, prefix, now);
            if (faq is null)
            {
                continue;
            }
            if (faq.ExternalId is { } ext && !seenExternalIds.TryAdd(ext, i))
            {
                errors[prefix + "external_id"] = [$"'{ext}' is also used by faqs[{seenExternalIds[ext]}]; each external id appears once."];
                continue;
            }
            if (current is not null && !seenIds.Add(current.Id))
            {
                errors[prefix + "id"] = ["Another item of this import already changes the same FAQ."];
                continue;
            }
            results.Add((current is null ? faq : faq with { Id = current.Id, CreatedAt = current.CreatedAt }, current));
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var deleted = replace ? existing.Where(f => !seenIds.Contains(f.Id)).ToList() : [];
        var updated = results.Where(r => r.Current is not null && !r.Faq.SameContent(r.Current)).ToList();
        var created = results.Where(r => r.Current is null).Select(r => r.Faq).ToList();
        foreach (FaqView faq in deleted)
        {
            await FaqSql.DeleteAsync(tx, tenant.Id, faq.Id);
        }
        // Clear changed external ids first, so that FAQs trading ids never collide on the unique index.
        foreach (var (faq, _) in updated.Where(u => u.Current!.ExternalId != u.Faq.ExternalId))
        {
            await tx.ExecuteAsync("UPDATE faqs SET external_id = NULL WHERE id = @Id AND tenant_id = @TenantId", new { faq.Id, TenantId = tenant.Id });
        }
        foreach (var (faq, _) in updated)
        {
            await FaqSql.UpdateAsync(tx, tenant.Id, faq);
        }
        foreach (FaqView faq in created)
        {
            await FaqSql.InsertAsync(tx, tenant.Id, faq);
        }

        int version;
        if (deleted.Count + updated.Count + created.Count == 0)
        {
            version = await tx.QuerySingleAsync<int>("SELECT config_version FROM tenants WHERE id = @Id", new { tenant.Id });
        }
        else
        {
            tx.OnCommitted(store.Invalidate);
            version = await ConfigVersions.CommitAsync(tx, tenant.Id,
                $"faqs imported: {created.Count} created, {updated.Count} updated, {deleted.Count} deleted", FaqsApi.Now(clock));
        }
        var faqs = results.Select(r => r.Current is not null && r.Faq.SameContent(r.Current) ? r.Current : r.Faq).ToList();
        return TypedResults.Ok(new FaqImportResult(created.Count, updated.Count, results.Count - created.Count - updated.Count,
            deleted.Count, version, faqs));
    }
}

public sealed record FaqImportResult(int Created, int Updated, int Unchanged, int Deleted, int ConfigVersion, List<FaqView> Faqs);
