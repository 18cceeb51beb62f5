using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Compliance;

/// <summary>
/// A lead's consent evidence, for a regulator or the lead (PRODUCT.md 2.6): whether each of its contacts may be
/// messaged, and every opt-in and opt-out with its source, wording, time and IP or provider reference.
/// </summary>
public static class ConsentApi
{
    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/leads/{id:guid}/consent", GetAsync).RequireTenant().WithTags("Leads").WithName("GetLeadConsent")
            .WithSummary("Whether the lead's phone and e-mail may be messaged, with the consent evidence, oldest first.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private sealed record LeadContacts(string? Email, string? Phone);

    private sealed record EventRow(string Contact, string Kind, string Source, string? Wording, string? Ip, string? Reference, long CreatedAt);

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> GetAsync(Guid id, Tenant tenant, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        LeadContacts? lead = await connection.QuerySingleOrDefaultAsync<LeadContacts>(
            "SELECT email, phone FROM leads WHERE id = @id AND tenant_id = @TenantId", new { id, TenantId = tenant.Id });
        if (lead is null)
        {
            return Problems.NotFound("lead");
        }
        string[] contacts = new[] { lead.Phone, lead.Email }.OfType<string>().Select(OptOuts.Contact).ToArray();
        var status = new List<ContactConsent>();
        foreach (string contact in contacts)
        {
            status.Add(new ContactConsent(contact, await OptOuts.IsOptedOutAsync(connection, tenant.Id, contact)));
        }
        // Evidence recorded for this lead, and for its contacts before it was a lead (an opt-out is per number).
        var events = await connection.QueryAsync<EventRow>("""
            SELECT contact, kind, source, wording, ip, reference, created_at AS CreatedAt FROM consent_events
            WHERE tenant_id = @TenantId AND (lead_id = @id OR contact = @first OR contact = @second)
            ORDER BY created_at, id
            """, new { TenantId = tenant.Id, id, first = contacts.ElementAtOrDefault(0), second = contacts.ElementAtOrDefault(1) });
        return TypedResults.Ok(new ConsentView(id, status, events.Select(e => new ConsentEventView(
            e.Contact, e.Kind, e.Source, e.Wording, e.Ip, e.Reference, Times.From(e.CreatedAt))).ToList()));
    }
}

public sealed record ConsentView(Guid LeadId, List<ContactConsent> Contacts, List<ConsentEventView> Events);

public sealed record ContactConsent(string Contact, bool OptedOut);

public sealed record ConsentEventView(string Contact, string Kind, string Source, string? Wording, string? Ip, string? Reference, DateTimeOffset At);
