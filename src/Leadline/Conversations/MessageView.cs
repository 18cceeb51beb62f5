using System.Data.Common;
using Dapper;
using Leadline.Data;

namespace Leadline.Conversations;

public sealed record MessageView(
    Guid Id, string Direction, string Author, string Channel, string? Subject, string Body, string Status,
    string? ProviderMessageId, int Attempts, string? LastError, string? Engine, string[]? FaqIds, bool? Fallback,
    int? ConfigVersion, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    private sealed record Row(
        Guid Id, string Direction, string Author, string Channel, string? Subject, string Body, string Status,
        string? ProviderMessageId, int Attempts, string? LastError, string? Engine, string? FaqIds, bool? Fallback,
        int? ConfigVersion, long CreatedAt, long? SentAt);

    private const string Select = """
        SELECT id, direction, author, channel, subject, body, status, provider_message_id, attempts, last_error, engine,
               faq_ids, fallback, config_version, created_at, sent_at
        FROM messages WHERE conversation_id = @conversationId AND tenant_id = @tenantId
        ORDER BY created_at, direction
        """;

    /// <summary>A conversation's messages, oldest first (an inbound message sorts before the reply stamped in the same millisecond).</summary>
    public static Task<List<MessageView>> ForConversationAsync(DbConnection connection, Guid tenantId, Guid conversationId) =>
        MapAsync(connection.QueryAsync<Row>(Select, new { conversationId, tenantId }));

    public static Task<List<MessageView>> ForConversationAsync(Tx tx, Guid tenantId, Guid conversationId) =>
        MapAsync(tx.QueryAsync<Row>(Select, new { conversationId, tenantId }));

    private static async Task<List<MessageView>> MapAsync(Task<IEnumerable<Row>> query)
    {
        var rows = await query;
        return rows.Select(m => new MessageView(
            m.Id, m.Direction, m.Author, m.Channel, m.Subject, m.Body, m.Status, m.ProviderMessageId, m.Attempts, m.LastError,
            m.Engine, m.FaqIds is null ? null : Json.Deserialize<string[]>(m.FaqIds), m.Fallback, m.ConfigVersion,
            Times.From(m.CreatedAt), Times.FromNullable(m.SentAt))).ToList();
    }
}
