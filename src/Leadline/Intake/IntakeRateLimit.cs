using System.Globalization;
using Dapper;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Observability;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Intake;

/// <summary>
/// The per-sender intake limit (PRODUCT.md 2.6, seed 004): at most the tenant's <c>intake_rate_limit_per_min</c>
/// requests (default 20, 0 is no limit) in any 60 seconds from one sending number, or from one e-mail address for
/// intake without a phone. Further requests get 429 with Retry-After, nothing of them is stored, and they are counted
/// in <c>intake_rate_limited_total</c>. A repeat of an event already accepted (the same event_id, Idempotency-Key or
/// MessageSid) is not refused: it gets its usual "duplicate" answer, and gives back the slot it took.
/// </summary>
/// <remarks>
/// The window is kept in this process's memory, not in the database. Intake must answer within 20 ms at p99 at
/// 300 requests a second (PRODUCT.md 7): a counter row per sender would add a write to every request (on SQLite
/// through the one writer that every job also waits for), and a flood would have to write to the database to be
/// refused, which is the load the limit is there to keep away. Checking memory costs microseconds; only a refused
/// request that names an event id reads the database, once, to see whether it is a repeat. The price: instances
/// count apart, so behind a load balancer that spreads one sender over N API instances it can get up to N times
/// the limit a minute, and a restart starts every window afresh. For a guard against runaway senders and loops
/// that is enough; the costly side, outbound volume, is capped exactly in the database (Delivery/OutboundCap).
/// The window slides (one timestamp per admitted request, never more than the limit per sender) rather than
/// resetting on the minute, so a burst across a minute boundary cannot get twice the limit, and Retry-After says
/// exactly when the oldest request leaves the window.
/// </remarks>
public sealed partial class IntakeRateLimit(Db db, Metrics metrics, TimeProvider clock, ILogger<IntakeRateLimit> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static readonly long s_windowMs = (long)Window.TotalMilliseconds;

    private readonly Lock _sync = new();
    private readonly Dictionary<string, SenderLog> _senders = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>The times of one sender's admitted requests still in the window, oldest first, from <see cref="Start"/>.</summary>
    private sealed class SenderLog
    {
        public readonly List<long> Stamps = [];
        public int Start;
        public bool Refusing;

        public int Live => Stamps.Count - Start;

        public void Expire(long cutoff)
        {
            while (Start < Stamps.Count && Stamps[Start] <= cutoff)
            {
                Start++;
            }
            // Compacted now and then rather than on every expiry: a sender at a high limit would otherwise move the
            // whole list on each request.
            if (Start == Stamps.Count)
            {
                Stamps.Clear();
                Start = 0;
            }
            else if (Start > 32 && Start * 2 > Stamps.Count)
            {
                Stamps.RemoveRange(0, Start);
                Start = 0;
            }
        }
    }

    /// <summary>A slot one request took in its sender's window.</summary>
    public sealed record Slot(string Key, long Stamp);

    /// <summary>
    /// Admits a request from <paramref name="sender"/> (a normalised phone number or e-mail address) or returns the
    /// 429 to answer instead. <paramref name="source"/> and <paramref name="externalId"/> name the event as the
    /// intake stores it, so that a repeat of an accepted event is let through to its "duplicate" answer.
    /// </summary>
    public async Task<(Slot? Slot, IResult? Refusal)> AdmitAsync(
        Tenant tenant, string channel, string? sender, string source, string? externalId, CancellationToken ct)
    {
        int limit = tenant.Settings.IntakeRateLimitPerMin;
        if (limit <= 0 || sender is null)
        {
            return (null, null);
        }
        string key = tenant.Id.ToString("N") + "|" + sender;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        (long? freesAt, bool firstRefusal) = Take(key, limit, now);
        if (freesAt is null)
        {
            return (new Slot(key, now), null);
        }
        if (externalId is not null && await AcceptedBeforeAsync(tenant, source, externalId, ct))
        {
            return (null, null);
        }

        metrics.Increment("intake_rate_limited_total", ("tenant", tenant.Slug), ("channel", channel));
        if (firstRefusal)
        {
            LogLimited(tenant.Slug, channel, limit);
        }
        int seconds = (int)Math.Max(1, Math.Ceiling((freesAt.Value - now) / 1000.0));
        return (null, new TooManyRequests(seconds, Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This sender has already sent {limit} intake requests in the last minute, the most tenant '{tenant.Slug}' accepts "
            + $"(its intake_rate_limit_per_min setting); this one was not stored. Send it again in {seconds} s. "
            + "The limit is changed with PUT /v1/admin/settings {\"intake_rate_limit_per_min\": n}, where 0 turns it off.")));
    }

    /// <summary>Gives the slot back when the request was a repeat of an accepted event: repeats cost a sender nothing.</summary>
    public void Settle(Slot? slot, IntakeResult result)
    {
        if (slot is null || result.Status != "duplicate")
        {
            return;
        }
        lock (_sync)
        {
            if (_senders.TryGetValue(slot.Key, out SenderLog? log))
            {
                int at = log.Stamps.LastIndexOf(slot.Stamp);
                if (at >= log.Start)
                {
                    log.Stamps.RemoveAt(at);
                }
            }
        }
    }

    /// <summary>Takes a slot at <paramref name="now"/>; when the window is full, returns when the next slot frees.</summary>
    private (long? FreesAt, bool FirstRefusal) Take(string key, int limit, long now)
    {
        long cutoff = now - s_windowMs;
        lock (_sync)
        {
            if (now >= _nextSweep)
            {
                Sweep(cutoff);
                _nextSweep = now + s_windowMs;
            }
            if (!_senders.TryGetValue(key, out SenderLog? log))
            {
                _senders[key] = log = new SenderLog();
            }
            log.Expire(cutoff);
            if (log.Live >= limit)
            {
                // Enough of the oldest requests must leave the window to bring it under the limit: one, or more when
                // the limit was lowered while the window was full.
                bool first = !log.Refusing;
                log.Refusing = true;
                return (log.Stamps[log.Start + log.Live - limit] + s_windowMs, first);
            }
            log.Refusing = false;
            log.Stamps.Add(now);
            return (null, false);
        }
    }

    /// <summary>Forgets senders with nothing left in the window, so memory follows the last minute's senders only.</summary>
    private void Sweep(long cutoff)
    {
        foreach ((string key, SenderLog log) in _senders)
        {
            if (log.Live == 0 || log.Stamps[^1] <= cutoff)
            {
                _senders.Remove(key);
            }
        }
    }

    private async Task<bool> AcceptedBeforeAsync(Tenant tenant, string source, string externalId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM inbound_events WHERE tenant_id = @TenantId AND source = @source AND external_id = @externalId
            """, new { TenantId = tenant.Id, source, externalId }) > 0;
    }

    /// <summary>A 429 problem with the Retry-After header (RFC 9110) saying how many seconds to wait.</summary>
    private sealed class TooManyRequests(int seconds, ProblemHttpResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Tenant {Tenant}: a sender on {Channel} went over {Limit} intake requests a minute; its further requests get 429")]
    private partial void LogLimited(string tenant, string channel, int limit);
}
