using System.Net.Http.Headers;

namespace Leadline.Jobs;

/// <summary>
/// A provider's <c>Retry-After</c> (RFC 9110 10.2.3: delay seconds or an HTTP-date), as the wait the job queue
/// honours before the next attempt. Read in this one place so every provider's answer means the same wait.
/// </summary>
public static class RetryAfter
{
    /// <summary>
    /// Retry-After may say anything; beyond an hour the job queue's own backoff is the better judge, and a date in
    /// the past (clocks differ) means "now".
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>The wait a response asks for, or null when it names none (or one that cannot be read).</summary>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider? clock = null) =>
        From(response.Headers.RetryAfter, (clock ?? TimeProvider.System).GetUtcNow());

    /// <summary>
    /// The wait a raw header value asks for (SDKs that hand over headers as strings), or null when it is missing
    /// or neither a number of seconds nor an HTTP-date.
    /// </summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value?.Trim(), out RetryConditionHeaderValue? header) ? From(header, now) : null;

    private static TimeSpan? From(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        TimeSpan? wait = header?.Delta ?? (header?.Date is DateTimeOffset when ? when - now : null);
        if (wait is not TimeSpan w)
        {
            return null;
        }
        return w < TimeSpan.Zero ? TimeSpan.Zero : w > Max ? Max : w;
    }
}
