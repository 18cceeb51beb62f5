using Leadline.Data;
using Leadline.Tenants;

namespace Leadline.Intake;

/// <summary>
/// Which conversation an inbound message joins. A message continues the lead's open conversation on its channel:
/// the one opened on it, or the one where we last wrote to the lead on it (a missed call's text-back, answered by
/// text). A message on another channel inside the tenant's dedupe window of the lead's last message is the same
/// inquiry arriving through a second door (a form sent while calling, a call right after the form) and joins that
/// conversation rather than starting another. Anything else opens a new one.
/// </summary>
public static class IntakeConversations
{
    private const string OnChannel = """
        SELECT c.id FROM conversations c
        WHERE c.tenant_id = @TenantId AND c.lead_id = @leadId AND c.status = 'open'
          AND (c.channel = @channel OR EXISTS (
                SELECT 1 FROM messages m
                WHERE m.tenant_id = @TenantId AND m.conversation_id = c.id AND m.direction = 'out' AND m.channel = @channel))
        ORDER BY c.created_at DESC LIMIT 1
        """;

    private const string Recent = """
        SELECT m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
        WHERE m.tenant_id = @TenantId AND m.lead_id = @leadId AND m.direction = 'in' AND m.created_at >= @since
          AND c.status = 'open'
        ORDER BY m.created_at DESC LIMIT 1
        """;

    private const string AnyOpen = """
        SELECT id FROM conversations WHERE tenant_id = @TenantId AND lead_id = @leadId AND status = 'open'
        ORDER BY created_at DESC LIMIT 1
        """;

    private const string Touch = "UPDATE conversations SET updated_at = @now WHERE id = @id AND tenant_id = @TenantId";

    private const string Open = """
        INSERT INTO conversations (id, tenant_id, lead_id, channel, subject, status, created_at, updated_at)
        VALUES (@id, @TenantId, @leadId, @channel, @subject, 'open', @now, @now)
        """;

    /// <summary>Finds (and touches) or opens the conversation; <paramref name="joinWindowMs"/> 0 joins by channel only.</summary>
    public static async Task<Guid> FindOrOpenAsync(Tx tx, Tenant tenant, Guid leadId, string channel, string? subject,
        bool anyOpen, long joinWindowMs, long now)
    {
        var args = new { TenantId = tenant.Id, leadId, channel, since = now - joinWindowMs };
        Guid? found = anyOpen
            ? await tx.QuerySingleOrDefaultAsync<Guid?>(AnyOpen, args)
            : await tx.QuerySingleOrDefaultAsync<Guid?>(OnChannel, args)
              ?? (joinWindowMs > 0 ? await tx.QuerySingleOrDefaultAsync<Guid?>(Recent, args) : null);
        if (found is Guid existing)
        {
            await TouchAsync(tx, tenant, existing, now);
            return existing;
        }
        Guid id = Guid.CreateVersion7();
        await tx.ExecuteAsync(Open, new { id, TenantId = tenant.Id, leadId, channel, subject, now });
        return id;
    }

    public static Task TouchAsync(Tx tx, Tenant tenant, Guid conversationId, long now) =>
        tx.ExecuteAsync(Touch, new { id = conversationId, TenantId = tenant.Id, now });
}
