using System.Data.Common;
using Dapper;
using Leadline.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leadline.Knowledge;

/// <summary>The FAQ statements shared by the admin API, config snapshots and rollback, and retrieval.</summary>
public static class FaqSql
{
    public const string Columns = "id, external_id, question, answer, tags, translations, created_at, updated_at";

    internal sealed record Row(
        Guid Id, string? ExternalId, string Question, string Answer, string Tags, string Translations, long CreatedAt, long UpdatedAt)
    {
        public FaqView ToView() => new(
            Id, ExternalId, Question, Answer,
            Json.Deserialize<List<string>>(Tags) ?? [],
            Json.Deserialize<Dictionary<string, FaqText>>(Translations) ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));

        public Faq ToFaq() => ToView().ToFaq();
    }

    private const string SelectAll = $"SELECT {Columns} FROM faqs WHERE tenant_id = @tenantId ORDER BY created_at, id";

    private const string Insert = """
        INSERT INTO faqs (id, tenant_id, external_id, question, answer, tags, translations, created_at, updated_at)
        VALUES (@Id, @TenantId, @ExternalId, @Question, @Answer, @Tags, @Translations, @CreatedAt, @UpdatedAt)
        """;

    // The tenant in the WHERE clause makes another tenant's FAQ "not found".
    private const string Update = """
        UPDATE faqs SET external_id = @ExternalId, question = @Question, answer = @Answer, tags = @Tags,
                        translations = @Translations, updated_at = @UpdatedAt
        WHERE id = @Id AND tenant_id = @TenantId
        """;

    public static async Task<List<FaqView>> ListAsync(Tx tx, Guid tenantId) =>
        (await tx.QueryAsync<Row>(SelectAll, new { tenantId })).Select(r => r.ToView()).ToList();

    public static async Task<List<FaqView>> ListAsync(DbConnection connection, Guid tenantId) =>
        (await connection.QueryAsync<Row>(SelectAll, new { tenantId })).Select(r => r.ToView()).ToList();

    /// <summary>Finds a FAQ by our id or by the tenant's external id.</summary>
    public static async Task<FaqView?> FindAsync(DbConnection connection, DbTransaction? transaction, Guid tenantId, string idOrExternalId)
    {
        string sql = Guid.TryParse(idOrExternalId, out _)
            ? $"SELECT {Columns} FROM faqs WHERE tenant_id = @tenantId AND id = @id"
            : $"SELECT {Columns} FROM faqs WHERE tenant_id = @tenantId AND external_id = @key";
        Guid id = Guid.TryParse(idOrExternalId, out Guid parsed) ? parsed : Guid.Empty;
        Row? row = await connection.QuerySingleOrDefaultAsync<Row>(sql, new { tenantId, id, key = idOrExternalId }, transaction);
        return row?.ToView();
    }

    public static Task InsertAsync(Tx tx, Guid tenantId, FaqView faq) => tx.ExecuteAsync(Insert, Parameters(tenantId, faq));

    public static Task<int> UpdateAsync(Tx tx, Guid tenantId, FaqView faq) => tx.ExecuteAsync(Update, Parameters(tenantId, faq));

    public static Task<int> DeleteAsync(Tx tx, Guid tenantId, Guid id) =>
        tx.ExecuteAsync("DELETE FROM faqs WHERE id = @id AND tenant_id = @tenantId", new { id, tenantId });

    /// <summary>True when the database refused a second FAQ with the same external id for a tenant.</summary>
    public static bool IsDuplicateExternalId(DbException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteErrorCode: 19 };

    private static object Parameters(Guid tenantId, FaqView faq) => new
    {
        faq.Id,
        TenantId = tenantId,
        faq.ExternalId,
        faq.Question,
        faq.Answer,
        Tags = Json.Serialize(faq.Tags),
        Translations = Json.Serialize(faq.Translations),
        CreatedAt = faq.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAt = faq.UpdatedAt.ToUnixTimeMilliseconds(),
    };
}

/// <summary>A FAQ as the admin API shows it and as config snapshots store it.</summary>
public sealed record FaqView(
    Guid Id, string? ExternalId, string Question, string Answer, List<string> Tags, Dictionary<string, FaqText> Translations,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public Faq ToFaq() => new(Id, ExternalId, Question, Answer, Tags, Translations);

    /// <summary>True when the two agree in everything a reply or a search could see.</summary>
    public bool SameContent(FaqView other) =>
        ExternalId == other.ExternalId && Question == other.Question && Answer == other.Answer
        && Json.Serialize(Tags) == Json.Serialize(other.Tags) && Json.Serialize(Translations) == Json.Serialize(other.Translations);
}
