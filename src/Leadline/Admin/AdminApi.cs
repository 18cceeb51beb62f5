namespace Leadline.Admin;

public static class AdminApi
{
    /// <summary>The tenant admin API (PRODUCT.md 3): settings, tone, templates, config versions and rollback.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app) =>
        app.MapSettings().MapTemplates().MapConfigVersions();
}
