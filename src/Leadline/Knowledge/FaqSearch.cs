using System.Data.Common;
using Dapper;
using Leadline.Data;

namespace Leadline.Knowledge;

/// <summary>
/// Finds the tenant's FAQs that answer a message: the database's full-text index supplies candidates (SQLite FTS5
/// ranked by bm25, PostgreSQL tsvector ranked by ts_rank_cd), then <see cref="FaqScorer"/> re-scores them in C#,
/// so the confidence means the same on both databases.
/// </summary>
public sealed class FaqSearch(Db db)
{
    /// <summary>Enough candidates that every FAQ sharing a term with a message is among them for any real FAQ set.</summary>
    public const int CandidateLimit = 200;

    // Candidates whose words match any query word; the tenant filter keeps FAQs strictly per tenant.
    private const string SqliteCandidates = """
        SELECT f.id, f.external_id, f.question, f.answer, f.tags, f.translations, f.created_at, f.updated_at
        FROM faqs_fts
        JOIN faqs f ON f.id = faqs_fts.faq_id
        WHERE faqs_fts MATCH @query AND faqs_fts.tenant_id = @tenantId AND f.tenant_id = @tenantId
        ORDER BY bm25(faqs_fts, 2.0, 1.0), f.id
        LIMIT @limit
        """;

    private const string PostgresCandidates = """
        SELECT f.id, f.external_id, f.question, f.answer, f.tags, f.translations, f.created_at, f.updated_at
        FROM faqs f
        WHERE f.tenant_id = @tenantId AND f.search @@ to_tsquery('english', @query)
        ORDER BY ts_rank_cd(f.search, to_tsquery('english', @query)) DESC, f.id
        LIMIT @limit
        """;

    private const string CountFaqs = "SELECT COUNT(*) FROM faqs WHERE tenant_id = @tenantId";

    /// <summary>The best FAQs for <paramref name="message"/>, best first, each with its confidence in [0, 1].</summary>
    /// <remarks><paramref name="concepts"/>: what else is known about the message (<see cref="FaqScorer.Rank"/>).</remarks>
    public async Task<IReadOnlyList<FaqMatch>> SearchAsync(Guid tenantId, string message, int limit = 5, CancellationToken ct = default,
        IReadOnlyCollection<string>? concepts = null)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        int total = await connection.ExecuteScalarAsync<int>(CountFaqs, new { tenantId });
        if (total == 0)
        {
            return [];
        }

        List<Faq> candidates;
        if (TextLanguage.ContainsArabic(message))
        {
            // The indexes stem English only and know nothing of Arabic spelling variants or translations, so Arabic
            // text is matched in C# against every FAQ of the tenant (FAQ sets are small: tens to hundreds).
            candidates = (await FaqSql.ListAsync(connection, tenantId)).Select(f => f.ToFaq()).ToList();
        }
        else
        {
            var words = Terms.QueryWords(message).ToList();
            foreach (string concept in concepts ?? [])
            {
                words.AddRange(Terms.ConceptWords(concept).Where(w => w.Length >= 2 && w.All(char.IsAsciiLetterLower))
                    .Select(w => (w, false)).Where(w => !words.Contains(w)));
            }
            if (words.Count == 0)
            {
                return [];
            }
            string sql = db.Dialect == Dialect.Postgres ? PostgresCandidates : SqliteCandidates;
            string query = db.Dialect == Dialect.Postgres ? PostgresQuery(words) : SqliteQuery(words);
            var rows = await connection.QueryAsync<FaqSql.Row>(sql, new { query, tenantId, limit = CandidateLimit });
            candidates = rows.Select(r => r.ToFaq()).ToList();
        }
        return FaqScorer.Rank(message, candidates, total, limit, concepts);
    }

    // Words are letters and digits only (Terms splits on everything else), so quoting them is enough to keep
    // FTS5 operators (AND, OR, NOT, NEAR) and PostgreSQL query syntax out of the lead's text.
    private static string SqliteQuery(IReadOnlyList<(string Word, bool Prefix)> words) =>
        string.Join(" OR ", words.Select(w => $"\"{w.Word}\"" + (w.Prefix ? "*" : "")));

    private static string PostgresQuery(IReadOnlyList<(string Word, bool Prefix)> words) =>
        string.Join(" | ", words.Select(w => $"'{w.Word}'" + (w.Prefix ? ":*" : "")));
}
