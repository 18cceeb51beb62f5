namespace Leadline.Qualification;

/// <summary>What the extractor needs to know besides the message.</summary>
/// <param name="Now">The receive time, already in the tenant's time zone: "tomorrow" and "in January" count from its date.</param>
/// <param name="TenantCurrency">ISO code used when the lead names an amount without a currency.</param>
/// <param name="Services">The tenant's services; the best match becomes <see cref="QualificationResult.Service"/>.</param>
public sealed record QualifierContext(DateTimeOffset Now, string TenantCurrency, IReadOnlyList<string> Services);
