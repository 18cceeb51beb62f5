namespace Leadline.Bench;

/// <summary>Latency summary in milliseconds; percentiles by nearest rank (a value that was really observed).</summary>
public sealed record Percentiles(int Count, double? Min, double? Mean, double? P50, double? P95, double? P99, double? Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, null, null, null, null, null, null);
        }
        double Rank(double q) => Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)]);
        return new Percentiles(sorted.Length, Round(sorted[0]), Round(sorted.Average()), Rank(0.50), Rank(0.95), Rank(0.99), Round(sorted[^1]));
    }

    private static double Round(double v) => Math.Round(v, 2);

    public override string ToString() => Count == 0
        ? "no samples"
        : $"p50 {P50:0.0}  p95 {P95:0.0}  p99 {P99:0.0}  max {Max:0.0}  (mean {Mean:0.0}, n={Count})";
}
