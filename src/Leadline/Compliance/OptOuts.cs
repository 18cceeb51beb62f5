using System.Data.Common;
using Dapper;
using Leadline.Data;

namespace Leadline.Compliance;

/// <summary>
/// Who has opted out, per tenant and contact (an E.164 phone number or a lower-case e-mail address), and the consent
/// evidence behind it: every opt-out and opt-in is appended to <c>consent_events</c> with its source and wording.
/// </summary>
public static class OptOuts
{
    /// <summary>Opts the contact out (or back in) and records the evidence; true when that changed its state.</summary>
    public static async Task<bool> SetAsync(Tx tx, Guid tenantId, Guid? leadId, string contact, bool optedOut, ConsentEvidence evidence, long now)
    {
        bool? before = await tx.QuerySingleOrDefaultAsync<bool?>(
            "SELECT opted_out FROM opt_outs WHERE tenant_id = @tenantId AND contact = @contact", new { tenantId, contact });
        await tx.ExecuteAsync("""
            INSERT INTO opt_outs (tenant_id, contact, opted_out, updated_at) VALUES (@tenantId, @contact, @optedOut, @now)
            ON CONFLICT (tenant_id, contact) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at
            """, new { tenantId, contact, optedOut, now });
        await RecordAsync(tx, tenantId, leadId, contact, optedOut ? "opt_out" : "opt_in", evidence, now);
        return (before ?? false) != optedOut;
    }

    public static Task RecordAsync(Tx tx, Guid tenantId, Guid? leadId, string contact, string kind, ConsentEvidence evidence, long now) =>
        tx.ExecuteAsync("""
            INSERT INTO consent_events (id, tenant_id, lead_id, contact, kind, source, wording, ip, reference, created_at)
            VALUES (@id, @tenantId, @leadId, @contact, @kind, @Source, @Wording, @Ip, @Reference, @now)
            """, new { id = Guid.CreateVersion7(), tenantId, leadId, contact, kind, evidence.Source, evidence.Wording, evidence.Ip, evidence.Reference, now });

    public static async Task<bool> IsOptedOutAsync(DbConnection connection, Guid tenantId, string contact) =>
        await connection.QuerySingleOrDefaultAsync<bool?>(
            "SELECT opted_out FROM opt_outs WHERE tenant_id = @tenantId AND contact = @contact", new { tenantId, contact }) == true;

    /// <summary>The form in which contacts are kept: e-mail addresses in lower case, phone numbers as given (E.164).</summary>
    public static string Contact(string address) => address.Contains('@', StringComparison.Ordinal) ? address.Trim().ToLowerInvariant() : address.Trim();
}

/// <summary>Where a consent statement came from: the channel or form, the lead's words, and the IP or provider reference.</summary>
public sealed record ConsentEvidence(string Source, string? Wording, string? Ip = null, string? Reference = null);
