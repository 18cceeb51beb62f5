using Dapper;
using Leadline.Data;

namespace Leadline.Mail;

/// <summary>
/// Where the reading of each tenant's mailbox stands (table <c>mailbox_status</c>): shown by GET /v1/admin/mailbox, and
/// the memory of which UIDs were read for servers that cannot keep the $LeadlineProcessed keyword.
/// </summary>
public sealed class MailboxStatus(Db db, TimeProvider clock)
{
    /// <summary>A mailbox's row. UIDs are numbers of the mailbox whose UIDVALIDITY is <see cref="UidValidity"/>.</summary>
    /// <param name="StartUid">The first UID that arrived after this mailbox was first read: every message from it on is ours to read.</param>
    /// <param name="LastUid">The highest UID read so far.</param>
    /// <param name="WaitMode"><c>idle</c> or <c>polling</c>, as the server allowed at the last connection.</param>
    /// <param name="Marking"><c>keyword</c>, <c>seen</c> or <c>uid</c>: how read mail is told from unread mail (see the migration 0011).</param>
    public sealed record Row(
        string Identity, string State, long? UidValidity, long? StartUid, long? LastUid, long? LastConnectedAt, string? LastError,
        long? LastErrorAt, long? LastProcessedAt, long ProcessedTotal, string? WaitMode, string? Marking);

    private const string Select = """
        SELECT identity, state, uid_validity AS UidValidity, start_uid AS StartUid, last_uid AS LastUid,
               last_connected_at AS LastConnectedAt, last_error AS LastError, last_error_at AS LastErrorAt,
               last_processed_at AS LastProcessedAt, processed_total AS ProcessedTotal, wait_mode AS WaitMode, marking
        FROM mailbox_status WHERE tenant_id = @tenantId
        """;

    public async Task<Row?> ReadAsync(Guid tenantId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Row>(Select, new { tenantId });
    }

    /// <summary>
    /// Records a connection to the mailbox <paramref name="identity"/> with <paramref name="uidValidity"/>, and returns
    /// the row. Another mailbox, or a new UIDVALIDITY (the server renumbered it), starts the UID memory again from
    /// <paramref name="uidNext"/>: only what arrives from now on, and unread mail, is read.
    /// </summary>
    public Task<Row> ConnectedAsync(
        Guid tenantId, string identity, uint uidValidity, uint? uidNext, string waitMode, string marking, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await EnsureAsync(tx, tenantId, identity, now);
            await tx.ExecuteAsync("""
                UPDATE mailbox_status SET uid_validity = @uidValidity, start_uid = @start, last_uid = NULL
                WHERE tenant_id = @tenantId AND (uid_validity IS NULL OR uid_validity <> @uidValidity)
                """, new { tenantId, uidValidity = (long)uidValidity, start = (long?)uidNext ?? 1L });
            await tx.ExecuteAsync("""
                UPDATE mailbox_status
                SET state = 'connected', last_connected_at = @now, updated_at = @now, wait_mode = @waitMode, marking = @marking
                WHERE tenant_id = @tenantId
                """, new { tenantId, now, waitMode, marking });
            return await tx.QuerySingleAsync<Row>(Select, new { tenantId });
        }, ct);

    /// <summary>Records that <paramref name="count"/> messages up to the UID <paramref name="uid"/> were read (leads, duplicates or skipped).</summary>
    public Task ProcessedAsync(Guid tenantId, uint uid, int count, CancellationToken ct) => db.InTransactionAsync(tx => tx.ExecuteAsync("""
        UPDATE mailbox_status
        SET last_uid = CASE WHEN last_uid IS NULL OR last_uid < @uid THEN @uid ELSE last_uid END,
            processed_total = processed_total + @count, last_processed_at = @now, updated_at = @now
        WHERE tenant_id = @tenantId
        """, new { tenantId, uid = (long)uid, count, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }), ct);

    /// <summary>Records a failure; <paramref name="state"/> is <c>error</c>, or <c>auth_failed</c> for refused credentials.</summary>
    public Task FailedAsync(Guid tenantId, string identity, string state, string error, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await EnsureAsync(tx, tenantId, identity, now);
            await tx.ExecuteAsync("""
                UPDATE mailbox_status SET state = @state, last_error = @error, last_error_at = @now, updated_at = @now
                WHERE tenant_id = @tenantId
                """, new { tenantId, state, error = error.Length > 1000 ? error[..1000] : error, now });
        }, ct);

    /// <summary>Records a state without news (<c>connecting</c>, <c>stopped</c>).</summary>
    public Task SetStateAsync(Guid tenantId, string identity, string state, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await EnsureAsync(tx, tenantId, identity, now);
            await tx.ExecuteAsync("UPDATE mailbox_status SET state = @state, updated_at = @now WHERE tenant_id = @tenantId", new { tenantId, state, now });
        }, ct);

    // The row exists, for this mailbox: another identity means another mailbox, whose UIDs mean nothing here.
    private static async Task EnsureAsync(Tx tx, Guid tenantId, string identity, long now)
    {
        await tx.ExecuteAsync("""
            INSERT INTO mailbox_status (tenant_id, identity, state, updated_at) VALUES (@tenantId, @identity, 'connecting', @now)
            ON CONFLICT (tenant_id) DO NOTHING
            """, new { tenantId, identity, now });
        await tx.ExecuteAsync("""
            UPDATE mailbox_status
            SET identity = @identity, uid_validity = NULL, start_uid = NULL, last_uid = NULL, last_error = NULL, last_error_at = NULL
            WHERE tenant_id = @tenantId AND identity <> @identity
            """, new { tenantId, identity });
    }
}
