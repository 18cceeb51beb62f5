using Leadline.Alerts;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Jobs;
using Leadline.Observability;
using Leadline.Tenants;

namespace Leadline.Conversations;

/// <summary>
/// Hands a conversation to a person: the bot stops replying on it, the lead shows as escalated, the owner is
/// alerted once per escalation. Used by staff through the API and by the reply job on its own triggers.
/// </summary>
public sealed class Escalation(OwnerAlerts alerts)
{
    /// <summary>Returns false when the conversation was already escalated (nothing changes, no second alert).</summary>
    public async Task<bool> EscalateAsync(Tx tx, Tenant tenant, Guid conversationId, Guid leadId, string reason, string actor, string? evidence, long now)
    {
        int changed = await tx.ExecuteAsync("""
            UPDATE conversations SET escalated = @yes, updated_at = @now
            WHERE id = @conversationId AND tenant_id = @TenantId AND escalated = @no
            """, new { conversationId, TenantId = tenant.Id, now, yes = true, no = false });
        if (changed == 0)
        {
            return false;
        }
        await tx.ExecuteAsync("UPDATE leads SET escalated = @yes, updated_at = @now WHERE id = @leadId AND tenant_id = @TenantId",
            new { leadId, TenantId = tenant.Id, now, yes = true });
        await Audit.RecordAsync(tx, tenant.Id, leadId, "conversation.escalated",
            new { conversation_id = conversationId, reason, actor, evidence }, now, tenant.ConfigVersion);
        await alerts.EscalationAsync(tx, tenant, leadId, conversationId, reason, now);
        return true;
    }

    /// <summary>Lets the bot answer again. The lead stays marked escalated while any of its conversations is.</summary>
    public static async Task<bool> ResumeAsync(Tx tx, Tenant tenant, Guid conversationId, Guid leadId, string actor, long now)
    {
        int changed = await tx.ExecuteAsync("""
            UPDATE conversations SET escalated = @no, updated_at = @now
            WHERE id = @conversationId AND tenant_id = @TenantId AND escalated = @yes
            """, new { conversationId, TenantId = tenant.Id, now, yes = true, no = false });
        if (changed == 0)
        {
            return false;
        }
        await tx.ExecuteAsync("""
            UPDATE leads SET escalated = EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = leads.tenant_id AND c.lead_id = leads.id AND c.escalated = @yes),
                             updated_at = @now
            WHERE id = @leadId AND tenant_id = @TenantId
            """, new { leadId, TenantId = tenant.Id, now, yes = true });
        await Audit.RecordAsync(tx, tenant.Id, leadId, "conversation.resumed", new { conversation_id = conversationId, actor }, now, tenant.ConfigVersion);
        return true;
    }
}
