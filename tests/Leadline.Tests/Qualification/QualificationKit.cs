using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>
/// Shared set-up for the qualification tests: the clock of the evaluation (Saturday 21 November 2026, 09:00 in
/// Chicago), a plumbing tenant, and the way to find files relative to the repository root.
/// </summary>
internal static class QualificationKit
{
    public static readonly DateTimeOffset EvaluationNow = DateTimeOffset.Parse("2026-11-21T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static readonly DateTimeOffset ChicagoNow = TimeZoneInfo.ConvertTime(EvaluationNow, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));

    public static readonly string[] PlumbingServices =
        ["drain cleaning", "water heater installation", "leak repair", "sewer line repair", "sewer camera inspection", "fixture installation"];

    public static readonly string[] RealtyServices = ["apartment sales", "villa sales", "rentals", "off-plan projects", "mortgage pre-approval"];

    public static QualificationResult Extract(string message, string currency = "USD", string[]? services = null) =>
        Qualifier.Extract(message, new QualifierContext(ChicagoNow, currency, services ?? PlumbingServices));

    /// <summary>The repository root: the first folder up from the test binaries that holds Leadline.slnx.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leadline.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Leadline.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A path relative to the repository root, e.g. "tests/Leadline.Tests/Evaluation/sample/sample-cases.jsonl".</summary>
    public static string FromRepoRoot(string relative) => Path.GetFullPath(Path.Combine(RepoRoot(), relative));
}
