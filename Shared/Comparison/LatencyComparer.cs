using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>Compares one label's latencies of two runs: percentiles, mean, their change in percent, the Hodges–Lehmann
/// shift with its confidence interval, and a verdict from BenchmarkDotNet's threshold test (<see cref="ThresholdTest"/>):
/// <c>faster</c> or <c>slower</c> only when the change is significantly beyond ±<c>minChangePct</c> %.</summary>
/// <remarks>Percentiles are nearest-rank, as everywhere in PerfTools: the smallest value v such that at least p% of the
/// samples are ≤ v (rank ⌈p/100 · n⌉, at least 1). The mean is weighted by the counts. Several labels compared in one
/// run are one family: <see cref="AdjustForFamily"/> applies Holm–Bonferroni so the chance of any false verdict among
/// them stays at α.</remarks>
public static class LatencyComparer
{
    /// <summary>Fewer samples than this on a side: <see cref="ComparisonVerdict.NotEnoughSamples"/>, not tested.</summary>
    public const int MinSamples = 2;

    public const double DefaultAlpha = 0.05;

    /// <summary>--min-change-pct's default: a change of 5 % or less is treated as none.</summary>
    public const double DefaultMinChangePct = 5;

    /// <param name="before">The baseline's latencies, ms, as (value, count); entries with count 0 are ignored.</param>
    /// <param name="after">This run's latencies, likewise.</param>
    /// <param name="alpha">Significance level, in (0, 1).</param>
    /// <param name="minChangePct">The threshold P in percent, ≥ 0 and below 100: a change within ±P % is no change.</param>
    /// <exception cref="ArgumentException">α outside (0, 1), P outside [0, 100), a negative count, or a value that is not finite.</exception>
    public static LatencyComparison Compare(
        string label,
        IReadOnlyList<(double ValueMs, long Count)> before,
        IReadOnlyList<(double ValueMs, long Count)> after,
        double alpha = DefaultAlpha,
        double minChangePct = DefaultMinChangePct)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be above 0 and below 1.");
        }

        if (!(minChangePct is >= 0 and < 100))
        {
            throw new ArgumentOutOfRangeException(nameof(minChangePct), minChangePct, "The threshold must be from 0 up to (not including) 100 percent.");
        }

        var b = Sorted(before, nameof(before));
        var a = Sorted(after, nameof(after));
        long nBefore = b.Sum(e => e.Count);
        long nAfter = a.Sum(e => e.Count);
        MannWhitneyResult? test = null;
        ThresholdTest? threshold = null;
        ShiftEstimate? shift = null;
        var verdict = ComparisonVerdict.NotEnoughSamples;
        if (nBefore >= MinSamples && nAfter >= MinSamples)
        {
            test = MannWhitneyU.Test(b, a);
            double pSlower = MannWhitneyU.OneSidedP(Scaled(b, 1 + (minChangePct / 100)), a, greater: true);
            double pFaster = MannWhitneyU.OneSidedP(Scaled(b, 1 - (minChangePct / 100)), a, greater: false);
            double p = Math.Min(1, 2 * Math.Min(pSlower, pFaster));
            threshold = new ThresholdTest(minChangePct, pSlower, pFaster, p, p, FamilySize: 1);
            shift = HodgesLehmann.Estimate(b, a, 1 - alpha);
            verdict = Verdict(threshold, alpha);
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
            test, alpha, verdict)
        {
            Threshold = threshold,
            Shift = shift,
        };
    }

    /// <summary>The rows as one family: each tested row's p adjusted by Holm–Bonferroni over all tested rows, and its
    /// verdict taken again from the adjusted p. Rows not tested are returned as they are.</summary>
    public static IReadOnlyList<LatencyComparison> AdjustForFamily(IReadOnlyList<LatencyComparison> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tested = rows.Select((r, i) => (r, i)).Where(x => x.r.Threshold is not null).ToList();
        double[] adjusted = HolmBonferroni.Adjust(tested.Select(x => x.r.Threshold!.PValue).ToList());
        var result = rows.ToArray();
        for (int k = 0; k < tested.Count; k++)
        {
            (LatencyComparison row, int i) = tested[k];
            ThresholdTest threshold = row.Threshold! with { PAdjusted = adjusted[k], FamilySize = tested.Count };
            result[i] = row with { Threshold = threshold, Verdict = Verdict(threshold, row.Alpha) };
        }

        return result;
    }

    /// <summary>The simulator's rule against its own lag: a corrected row that reads faster or slower keeps its verdict
    /// when the same label's uncorrected row (from the actual send) reads the same, and is
    /// <see cref="ComparisonVerdict.Inconclusive"/> when it does not; every other row keeps its verdict, with the
    /// uncorrected one beside it. Rows without an uncorrected twin are returned as they are.</summary>
    /// <remarks>Corrected latency charges the generator's late sends to the server: on sub-millisecond requests a
    /// busier load generator alone can make it "slower". The server's own change moves both; only a lag moves one.
    /// A corrected "no significant change" stands even when the uncorrected latency moved: what a user waits for did
    /// not change (measured: in A/A pairs on an unchanged 1 ms route the uncorrected side alone moved in 5 of 10).</remarks>
    public static IReadOnlyList<LatencyComparison> Reconcile(IReadOnlyList<LatencyComparison> corrected, IReadOnlyList<LatencyComparison> uncorrected)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        ArgumentNullException.ThrowIfNull(uncorrected);
        var byLabel = new Dictionary<string, LatencyComparison>(StringComparer.Ordinal);
        foreach (LatencyComparison u in uncorrected)
        {
            byLabel.TryAdd(u.Label, u);
        }

        return corrected
            .Select(c => byLabel.TryGetValue(c.Label, out var u) && c.Verdict != ComparisonVerdict.NotEnoughSamples
                && u.Verdict != ComparisonVerdict.NotEnoughSamples
                ? c with
                {
                    UncorrectedVerdict = u.Verdict,
                    Verdict = c.Verdict is ComparisonVerdict.Faster or ComparisonVerdict.Slower && u.Verdict != c.Verdict
                        ? ComparisonVerdict.Inconclusive
                        : c.Verdict,
                }
                : c)
            .ToList();
    }

    /// <summary>Marks the rows of <paramref name="labels"/> (scenarios whose load generator fell behind its schedule in
    /// either run) with <see cref="LatencyComparison.GeneratorBehind"/>; such a row that reads faster or slower reads
    /// <see cref="ComparisonVerdict.Inconclusive"/> instead: a run whose lag is the generator's must not read like a
    /// slower (or, against a baseline that fell behind, a faster) server.</summary>
    public static IReadOnlyList<LatencyComparison> MarkGeneratorBehind(IReadOnlyList<LatencyComparison> rows, IReadOnlySet<string> labels)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        return rows
            .Select(r => !labels.Contains(r.Label) ? r : r with
            {
                GeneratorBehind = true,
                Verdict = r.Verdict is ComparisonVerdict.Faster or ComparisonVerdict.Slower ? ComparisonVerdict.Inconclusive : r.Verdict,
            })
            .ToList();
    }

    /// <summary>The verdict a threshold test gives at α (before any reconciling with uncorrected latencies).</summary>
    public static ComparisonVerdict Verdict(ThresholdTest t, double alpha) =>
        t.PAdjusted >= alpha ? ComparisonVerdict.NoSignificantChange
        : t.PSlower <= t.PFaster ? ComparisonVerdict.Slower
        : ComparisonVerdict.Faster;

    private static List<(double Value, long Count)> Scaled(List<(double Value, long Count)> sample, double factor) =>
        sample.Select(e => (e.Value * factor, e.Count)).ToList();

    /// <summary>Compares plain samples (ms), each counted once, e.g. the lists of <c>performance_data_*.json</c>.</summary>
    public static LatencyComparison Compare(
        string label, IReadOnlyList<double> beforeMs, IReadOnlyList<double> afterMs, double alpha = DefaultAlpha, double minChangePct = DefaultMinChangePct)
    {
        ArgumentNullException.ThrowIfNull(beforeMs);
        ArgumentNullException.ThrowIfNull(afterMs);
        return Compare(label, beforeMs.Select(v => (v, 1L)).ToList(), afterMs.Select(v => (v, 1L)).ToList(), alpha, minChangePct);
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
