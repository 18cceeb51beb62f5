namespace Leadline.Replies.Llm;

/// <summary>
/// A model could not give a usable draft. <see cref="Reason"/> is a short code counted in <c>/metrics</c>
/// (<c>llm_failure_total{reason}</c>): timeout, rate_limited, server_error, http_error, unreachable, invalid_output, refusal.
/// The reply job answers with the offline engine instead, so the lead never waits on it.
/// </summary>
public sealed class LlmFailure(string reason, string detail, Exception? inner = null, ModelTrace? trace = null)
    : Exception($"{reason}: {detail}", inner)
{
    public string Reason { get; } = reason;

    public string Detail { get; } = detail;

    /// <summary>The prompt and whatever responses came back before the failure.</summary>
    public ModelTrace? Trace { get; } = trace;

    /// <summary>How long the provider asked us to wait (429 Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
