using System.Diagnostics.Metrics;
using Dapper;
using Leadline.Data;

namespace Leadline.Observability;

/// <summary>
/// The job queue's depth, read from the database when /metrics is scraped: jobs_pending and jobs_dead by kind and
/// status, and database_up (0 when the database did not answer the scrape, so the other two are missing, not 0).
/// </summary>
public sealed class JobGauges
{
    private readonly Db _db;

    public JobGauges(Metrics metrics, Db db)
    {
        _db = db;
        metrics.Meter.CreateObservableGauge("jobs_pending", () => Observe(dead: false), unit: null,
            description: "Jobs waiting or running.");
        metrics.Meter.CreateObservableGauge("jobs_dead", () => Observe(dead: true), unit: null,
            description: "Jobs that ran out of attempts.");
        metrics.Meter.CreateObservableGauge("database_up", () => Up(), unit: null,
            description: "1 when the database answered the scrape.");
    }

    private const string CountSql = """
        SELECT kind, status, COUNT(*) FROM jobs WHERE status IN ('pending', 'running', 'dead') GROUP BY kind, status
        """;

    /// <summary>The three gauges are observed one after another in one scrape; one query answers them all.</summary>
    private static readonly TimeSpan s_reuseFor = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private (long At, IReadOnlyList<(string Kind, string Status, long Count)>? Rows) _last = (-1, null);

    private IEnumerable<Measurement<long>> Observe(bool dead)
    {
        if (Read() is not { } rows)
        {
            return [];
        }
        var measurements = rows.Where(r => (r.Status == "dead") == dead)
            .Select(r => new Measurement<long>(r.Count, new("kind", r.Kind), new("status", r.Status)))
            .ToList();
        // Each at 0 with no labels when nothing is queued, so the series is always there.
        return measurements.Count > 0 ? measurements : [new Measurement<long>(0)];
    }

    private Measurement<long> Up() => new(Read() is null ? 0 : 1);

    private IReadOnlyList<(string Kind, string Status, long Count)>? Read()
    {
        lock (_lock)
        {
            long now = Environment.TickCount64;
            if (_last.At >= 0 && now - _last.At < s_reuseFor.TotalMilliseconds)
            {
                return _last.Rows;
            }
            try
            {
                // The exporter collects synchronously on the scrape's thread; ASP.NET Core has no synchronization
                // context, so waiting on the query here cannot deadlock.
                _last = (now, CountAsync().GetAwaiter().GetResult());
            }
            catch (System.Data.Common.DbException)
            {
                _last = (now, null);
            }
            return _last.Rows;
        }
    }

    private async Task<IReadOnlyList<(string Kind, string Status, long Count)>> CountAsync()
    {
        await using var connection = await _db.OpenAsync();
        return (await connection.QueryAsync<(string Kind, string Status, long Count)>(CountSql)).ToList();
    }
}
