namespace PerfTools.Shared.Comparison;

/// <summary>The <c>--max-regression-pct</c> CI gate: which comparisons are a significant slowdown beyond a limit.</summary>
public static class ComparisonGate
{
    /// <summary>The comparisons that are <see cref="ComparisonVerdict.Slower"/> and whose p50 rose by more than
    /// <paramref name="maxRegressionPct"/> percent; a p50 that rose from 0 counts as beyond any limit.</summary>
    /// <param name="maxRegressionPct">The allowed rise of the median, percent (≥ 0).</param>
    public static IReadOnlyList<LatencyComparison> Regressions(IEnumerable<LatencyComparison> comparisons, double maxRegressionPct)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (!(maxRegressionPct >= 0) || double.IsPositiveInfinity(maxRegressionPct))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRegressionPct), maxRegressionPct, "The limit must be a finite number ≥ 0.");
        }

        return comparisons
            .Where(c => c.Verdict == ComparisonVerdict.Slower
                && (c.P50ChangePct is { } pct ? pct > maxRegressionPct : c.P50AfterMs > c.P50BeforeMs))
            .ToList();
    }
}
