using System.Globalization;
using System.Text.RegularExpressions;

namespace Leadline.Bench;

/// <summary>
/// The series of one /metrics scrape (Prometheus text format), so two scrapes can be subtracted to get what one
/// run added: counters by label, and histogram buckets for percentile estimates.
/// </summary>
public sealed partial class MetricsSnapshot
{
    private readonly List<Series> _series;

    private MetricsSnapshot(List<Series> series) => _series = series;

    private sealed record Series(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static MetricsSnapshot Parse(string text)
    {
        var series = new List<Series>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            int space = line.LastIndexOf(' ');
            if (line.Length == 0 || line[0] == '#' || space < 0
                || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }
            string key = line[..space];
            int brace = key.IndexOf('{');
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0)
            {
                foreach (Match m in Label().Matches(key[brace..]))
                {
                    labels[m.Groups[1].Value] = Regex.Unescape(m.Groups[2].Value);
                }
            }
            series.Add(new Series(brace >= 0 ? key[..brace] : key, labels, value));
        }
        return new MetricsSnapshot(series);
    }

    /// <summary>What happened between <paramref name="before"/> and this scrape (series missing before count from 0).</summary>
    public MetricsSnapshot Minus(MetricsSnapshot before)
    {
        var earlier = before._series.ToDictionary(Key, s => s.Value);
        return new MetricsSnapshot(_series.Select(s => s with { Value = s.Value - earlier.GetValueOrDefault(Key(s)) }).ToList());
    }

    /// <summary>The sum of a metric's series whose labels include all of <paramref name="match"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] match) => Matching(name, match).Sum(s => s.Value);

    /// <summary>A metric's non-zero series summed by the value of one label.</summary>
    public IReadOnlyDictionary<string, double> By(string name, string label, params (string Key, string Value)[] match) =>
        Matching(name, match)
            .GroupBy(s => s.Labels.GetValueOrDefault(label, ""))
            .Select(g => (g.Key, Value: g.Sum(s => s.Value)))
            .Where(g => g.Value != 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Value);

    /// <summary>
    /// The q-quantile of a histogram as Prometheus' <c>histogram_quantile</c> estimates it (linear inside the bucket
    /// that holds it), with that bucket's bounds: the estimate is only as good as the bucket is narrow.
    /// </summary>
    public BucketEstimate? Quantile(string name, double q, params (string Key, string Value)[] match)
    {
        var buckets = Matching(name + "_bucket", match)
            .GroupBy(s => s.Labels.GetValueOrDefault("le", ""))
            .Select(g => (Le: g.Key == "+Inf" ? double.PositiveInfinity : double.Parse(g.Key, CultureInfo.InvariantCulture), Count: g.Sum(s => s.Value)))
            .OrderBy(b => b.Le)
            .ToList();
        double total = buckets.Count > 0 ? buckets[^1].Count : 0;
        if (total <= 0)
        {
            return null;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(le))
                {
                    return new BucketEstimate(lower, lower, le);
                }
                double estimate = count == below ? le : lower + (le - lower) * (rank - below) / (count - below);
                return new BucketEstimate(Math.Round(estimate, 1), lower, le);
            }
            lower = le;
            below = count;
        }
        return null;
    }

    private IEnumerable<Series> Matching(string name, (string Key, string Value)[] match) =>
        _series.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Key, out string? v) && v == m.Value));

    private static string Key(Series s) =>
        s.Name + "{" + string.Join(',', s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";

    [GeneratedRegex("""(\w+)="((?:[^"\\]|\\.)*)"  """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();
}

/// <summary>A percentile read from histogram buckets: the estimate and the bucket it lies in.</summary>
public sealed record BucketEstimate(double Estimate, double BucketFrom, double BucketTo)
{
    public override string ToString() => double.IsPositiveInfinity(BucketTo)
        ? $"> {BucketFrom:0}"
        : $"~{Estimate:0} (bucket {BucketFrom:0}-{BucketTo:0})";
}
