using Leadline.Data;
using Leadline.Observability;

namespace Leadline.Leads;

/// <summary>
/// Lead states and the moves between them (PRODUCT.md 2.3). Every move is checked here and recorded as an
/// audit event; an impossible move is refused, so a booked lead cannot silently become NEW again.
/// </summary>
public static class Lifecycle
{
    public const string New = "NEW";
    public const string Qualifying = "QUALIFYING";
    public const string Qualified = "QUALIFIED";
    public const string AppointmentBooked = "APPOINTMENT_BOOKED";
    public const string HandedOff = "HANDED_OFF";
    public const string Nurturing = "NURTURING";
    public const string Disqualified = "DISQUALIFIED";

    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        [New] = [Qualifying, Qualified, AppointmentBooked, HandedOff, Nurturing, Disqualified],
        [Qualifying] = [Qualified, AppointmentBooked, HandedOff, Nurturing, Disqualified],
        [Qualified] = [AppointmentBooked, HandedOff, Nurturing, Disqualified],
        [AppointmentBooked] = [HandedOff, Qualified, Disqualified],
        [Nurturing] = [Qualifying, Qualified, AppointmentBooked, HandedOff, Disqualified],
        [HandedOff] = [Nurturing, Disqualified],
        [Disqualified] = [Nurturing],
    };

    public static IEnumerable<string> States => Allowed.Keys;

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    /// <summary>Moves the lead; returns the state it was in, or an error text when the move is not allowed.</summary>
    public static async Task<(string? From, string? Error)> MoveAsync(Tx tx, Guid tenantId, Guid leadId, string to, string actor, string? reason, long now)
    {
        // On PostgreSQL the row lock makes a person's move wait for the bot's move in flight (and read its result)
        // instead of failing; SQLite's single writer already serialises the two.
        string lockRow = tx.Dialect == Dialect.Postgres ? " FOR UPDATE" : "";
        string? from = await tx.QuerySingleOrDefaultAsync<string>(
            "SELECT state FROM leads WHERE id = @leadId AND tenant_id = @tenantId" + lockRow, new { leadId, tenantId });
        if (from is null)
        {
            return (null, null);
        }
        if (from == to)
        {
            return (from, null);
        }
        if (!CanMove(from, to))
        {
            return (from, $"A lead in {from} cannot move to {to}; from {from} it can move to {string.Join(", ", Allowed[from])}.");
        }
        // The state in the WHERE clause makes a concurrent move lose cleanly instead of overwriting.
        int changed = await tx.ExecuteAsync(
            "UPDATE leads SET state = @to, updated_at = @now WHERE id = @leadId AND tenant_id = @tenantId AND state = @from",
            new { to, now, leadId, tenantId, from });
        if (changed == 0)
        {
            return (from, "The lead changed state at the same moment; read it again and retry.");
        }
        await Audit.RecordAsync(tx, tenantId, leadId, "lead.state_changed", new { from, to, actor, reason }, now);
        return (from, null);
    }
}
