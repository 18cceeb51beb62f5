using Leadline.Data;

namespace Leadline.Observability;

/// <summary>The audit trail: one row per decision, written in the same transaction as the decision.</summary>
public static class Audit
{
    private const string Insert = """
        INSERT INTO audit_events (id, tenant_id, lead_id, kind, data, config_version, created_at)
        VALUES (@Id, @TenantId, @LeadId, @Kind, @Data, @ConfigVersion, @Now)
        """;

    public static Task RecordAsync(Tx tx, Guid tenantId, Guid? leadId, string kind, object data, long now, int? configVersion = null) =>
        tx.ExecuteAsync(Insert, new
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            LeadId = leadId,
            Kind = kind,
            Data = Json.Serialize(data),
            ConfigVersion = configVersion,
            Now = now,
        });
}
