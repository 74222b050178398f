namespace PerfTools.Shared.Reports;

/// <summary>Percentiles of raw latency samples for the chart, by linear interpolation between order statistics (numpy's default).</summary>
internal static class SamplePercentiles
{
    /// <param name="sorted">Samples in ascending order, at least one.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    public static double At(IReadOnlyList<double> sorted, double q)
    {
        var rank = Math.Clamp(q, 0, 1) * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
