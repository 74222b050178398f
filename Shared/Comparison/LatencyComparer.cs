using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>Compares one label's latencies of two runs: percentiles, mean, their change in percent, and a verdict from a
/// two-sided <see cref="MannWhitneyU"/> test (p &lt; α: <c>faster</c> or <c>slower</c> by the probability of superiority).</summary>
/// <remarks>Percentiles are nearest-rank, as everywhere in PerfTools: the smallest value v such that at least p% of the
/// samples are ≤ v (rank ⌈p/100 · n⌉, at least 1). The mean is weighted by the counts.</remarks>
public static class LatencyComparer
{
    /// <summary>Fewer samples than this on a side: <see cref="ComparisonVerdict.NotEnoughSamples"/>, not tested.</summary>
    public const int MinSamples = 2;

    public const double DefaultAlpha = 0.05;

    /// <param name="before">The baseline's latencies, ms, as (value, count); entries with count 0 are ignored.</param>
    /// <param name="after">This run's latencies, likewise.</param>
    /// <param name="alpha">Significance level, in (0, 1).</param>
    /// <exception cref="ArgumentException">α outside (0, 1), a negative count, or a value that is not finite.</exception>
    public static LatencyComparison Compare(
        string label,
        IReadOnlyList<(double ValueMs, long Count)> before,
        IReadOnlyList<(double ValueMs, long Count)> after,
        double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be above 0 and below 1.");
        }

        var b = Sorted(before, nameof(before));
        var a = Sorted(after, nameof(after));
        long nBefore = b.Sum(e => e.Count);
        long nAfter = a.Sum(e => e.Count);
        MannWhitneyResult? test = null;
        var verdict = ComparisonVerdict.NotEnoughSamples;
        if (nBefore >= MinSamples && nAfter >= MinSamples)
        {
            test = MannWhitneyU.Test(b, a);
            verdict = test.PValue >= alpha ? ComparisonVerdict.NoSignificantChange
                : test.ProbabilityOfSuperiority > 0.5 ? ComparisonVerdict.Slower
                : ComparisonVerdict.Faster;
        }

        double p50B = Percentile(b, nBefore, 50), p50A = Percentile(a, nAfter, 50);
        double p95B = Percentile(b, nBefore, 95), p95A = Percentile(a, nAfter, 95);
        double p99B = Percentile(b, nBefore, 99), p99A = Percentile(a, nAfter, 99);
        double meanB = Mean(b, nBefore), meanA = Mean(a, nAfter);
        return new LatencyComparison(
            label, nBefore, nAfter,
            p50B, p50A, ChangePct(p50B, p50A),
            p95B, p95A, ChangePct(p95B, p95A),
            p99B, p99A, ChangePct(p99B, p99A),
            meanB, meanA, ChangePct(meanB, meanA),
            test, alpha, verdict);
    }

    /// <summary>Compares plain samples (ms), each counted once, e.g. the lists of <c>performance_data_*.json</c>.</summary>
    public static LatencyComparison Compare(string label, IReadOnlyList<double> beforeMs, IReadOnlyList<double> afterMs, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(beforeMs);
        ArgumentNullException.ThrowIfNull(afterMs);
        return Compare(label, beforeMs.Select(v => (v, 1L)).ToList(), afterMs.Select(v => (v, 1L)).ToList(), alpha);
    }

    /// <summary>An HdrHistogram's recorded values in µs (<see cref="LatencyRecorder.RecordedValues"/>,
    /// <see cref="SimulationStats.LatencyHistogram"/>) as weighted samples in ms.</summary>
    public static IReadOnlyList<(double ValueMs, long Count)> FromMicros(IEnumerable<(long ValueMicros, long Count)> histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.Select(e => (e.ValueMicros / 1000.0, e.Count)).ToList();
    }

    /// <summary>(after − before) / before · 100, null when before is 0.</summary>
    public static double? ChangePct(double before, double after) => before == 0 ? null : (after - before) / before * 100;

    private static List<(double Value, long Count)> Sorted(IReadOnlyList<(double ValueMs, long Count)> sample, string name)
    {
        var list = new List<(double Value, long Count)>(sample.Count);
        foreach ((double value, long count) in sample)
        {
            if (count < 0 || !double.IsFinite(value))
            {
                throw new ArgumentException($"Every count must be ≥ 0 and every value finite (got {value} × {count}).", name);
            }

            if (count > 0)
            {
                list.Add((value, count));
            }
        }

        list.Sort((x, y) => x.Value.CompareTo(y.Value));
        return list;
    }

    private static double Percentile(List<(double Value, long Count)> sorted, long n, double percentile)
    {
        if (n == 0)
        {
            return 0;
        }

        // As LatencyRecorder: the relative nudge keeps exact ranks exact despite binary fractions.
        double exactRank = percentile / 100.0 * n;
        long rank = Math.Clamp((long)Math.Ceiling(exactRank - (exactRank * 1e-12)), 1, n);
        long seen = 0;
        foreach ((double value, long count) in sorted)
        {
            seen += count;
            if (seen >= rank)
            {
                return value;
            }
        }

        return sorted[^1].Value;
    }

    private static double Mean(List<(double Value, long Count)> sorted, long n) =>
        n == 0 ? 0 : sorted.Sum(e => e.Value * e.Count) / n;
}
