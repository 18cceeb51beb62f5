namespace Leadline.Tenants;

/// <summary>A business served by this install. Handlers receive the caller's tenant as a parameter.</summary>
public sealed record Tenant(Guid Id, string Slug, string Name, string Status, TenantSettings Settings, int ConfigVersion)
{
    public const string DefaultSlug = "default";

    public bool IsPaused => Status == "paused";

    /// <summary>
    /// The tenant's own Twilio account as stored: encrypted (<see cref="TwilioCredentialProtector"/>), loaded with the
    /// tenant so that finding the account to text through costs no query. Null when the tenant uses the instance's.
    /// </summary>
    public string? TwilioCiphertext { get; init; }

    /// <summary>Minimal APIs bind the tenant the auth middleware resolved for this request.</summary>
    public static ValueTask<Tenant?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items[typeof(Tenant)] as Tenant);
}
