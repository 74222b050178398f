namespace PerfTools.Shared.Analysis;

/// <summary>Holm–Bonferroni adjusted p-values, which keep the chance of any false alarm among m tests at α (the
/// family-wise error rate) when each test's adjusted p is compared with α.</summary>
/// <remarks>Sorted ascending, the i-th smallest p (1-based) is multiplied by m − i + 1, capped at 1, and made no smaller
/// than the adjusted p before it (R's <c>p.adjust(p, "holm")</c>). Rejecting where adjusted p &lt; α is Holm's step-down
/// procedure: uniformly more powerful than Bonferroni's p · m, with the same guarantee and no assumption on how the
/// tests depend on each other.</remarks>
public static class HolmBonferroni
{
    /// <summary>The adjusted p-values, in the order given.</summary>
    /// <exception cref="ArgumentException">A p-value outside [0, 1].</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Any(p => !(p is >= 0 and <= 1)))
        {
            throw new ArgumentException("Every p-value must be within 0..1.", nameof(pValues));
        }

        int m = pValues.Count;
        int[] order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            running = Math.Max(running, Math.Min(1, pValues[i] * (m - rank)));
            adjusted[i] = running;
        }

        return adjusted;
    }
}
