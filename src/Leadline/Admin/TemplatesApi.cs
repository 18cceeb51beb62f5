using Leadline.Data;
using Leadline.Hosting;
using Leadline.Replies;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Admin;

/// <summary>
/// The tenant's Handlebars reply templates ("reply.en", "fallback.ar", ...). A template is saved only when it
/// compiles, renders with every placeholder, and carries the booking link; each save is a new config version.
/// </summary>
public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/templates").RequireTenant().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", ListAsync).WithName("ListTemplates")
            .WithSummary("Every template replies use: the tenant's own and, where it has none, the default.");
        group.MapPost("/", SaveAsync).WithName("SaveTemplate")
            .WithSummary("Create or replace a template: {\"name\": \"reply.en\", \"source\": \"{{greeting}} {{answer}} {{cta}}\"}.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteTemplate")
            .WithSummary("Remove the tenant's template, so the default applies again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<TemplateList>> ListAsync(Tenant tenant, TenantStore store, CancellationToken ct)
    {
        Tenant current = await SettingsApi.FreshAsync(tenant, store, ct);
        var custom = current.Settings.Templates;
        var templates = ReplyTemplates.Defaults.Keys.Union(custom.Keys).Order(StringComparer.Ordinal)
            .Select(name => custom.TryGetValue(name, out string? source)
                ? new TemplateView(name, source, Custom: true)
                : new TemplateView(name, ReplyTemplates.Defaults[name], Custom: false))
            .ToList();
        return TypedResults.Ok(new TemplateList(current.ConfigVersion, ReplyTemplates.Placeholders, templates));
    }

    private static async Task<Results<Ok<TemplateSaved>, ProblemHttpResult>> SaveAsync(
        TemplateRequest body, Tenant tenant, TenantStore store, Db db, TimeProvider clock, CancellationToken ct)
    {
        Dictionary<string, string[]> errors = ReplyTemplates.Validate(body.Name, body.Source);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        string name = body.Name!;
        string source = body.Source!;
        int version = await ConfigVersions.ChangeSettingsAsync(db, store, clock, tenant.Id, $"template {name} saved",
            s => s with { Templates = new Dictionary<string, string>(s.Templates) { [name] = source } }, ct);
        return TypedResults.Ok(new TemplateSaved(name, source, version));
    }

    private static async Task<Results<Ok<TemplateDeleted>, ProblemHttpResult>> DeleteAsync(
        string name, Tenant tenant, TenantStore store, Db db, TimeProvider clock, CancellationToken ct)
    {
        Tenant current = await SettingsApi.FreshAsync(tenant, store, ct);
        if (!current.Settings.Templates.ContainsKey(name))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found",
                $"This tenant has no template '{name}' of its own; GET /v1/admin/templates lists them.");
        }
        int version = await ConfigVersions.ChangeSettingsAsync(db, store, clock, tenant.Id, $"template {name} removed", s =>
        {
            var templates = new Dictionary<string, string>(s.Templates);
            templates.Remove(name);
            return s with { Templates = templates };
        }, ct);
        return TypedResults.Ok(new TemplateDeleted(name, version));
    }
}

public sealed record TemplateRequest(string? Name, string? Source);

public sealed record TemplateView(string Name, string Source, bool Custom);

public sealed record TemplateList(int ConfigVersion, IReadOnlyList<string> Placeholders, List<TemplateView> Templates);

public sealed record TemplateSaved(string Name, string Source, int ConfigVersion);

public sealed record TemplateDeleted(string Name, int ConfigVersion);
