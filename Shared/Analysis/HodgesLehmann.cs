namespace PerfTools.Shared.Analysis;

/// <summary>The Hodges–Lehmann estimate of the shift between two samples (the median of every difference after − before)
/// with its distribution-free confidence interval, on weighted samples, so an HdrHistogram's values serve unexpanded.</summary>
/// <remarks>
/// <para>The k-th smallest of the n1·n2 differences is found without listing them: for a shift d, the pairs with
/// after − before ≤ d are counted in one merge pass over the two sorted samples (O(k1 + k2) for k distinct values), and
/// d is bisected until the bracket is below 1e-12 of the values' range; so a run of a million requests costs as little
/// as one of ten.</para>
/// <para>The interval is the one that inverts the Mann-Whitney test (Hollander and Wolfe, §4.3): from the
/// C-th smallest difference to the (n1·n2 + 1 − C)-th, C = n1·n2/2 − z·σ rounded, z the normal quantile of the
/// confidence level and σ the tie-corrected standard deviation of U (at least 1, at most n1·n2/2).</para>
/// </remarks>
public static class HodgesLehmann
{
    /// <param name="before">The first sample, as (value, count); count-0 entries are ignored.</param>
    /// <param name="after">The second sample, likewise.</param>
    /// <param name="confidence">The interval's level, in (0, 1), e.g. 0.95.</param>
    /// <exception cref="ArgumentException">A side without samples, a negative count, a value not finite, or a level
    /// outside (0, 1).</exception>
    public static ShiftEstimate Estimate(
        IReadOnlyList<(double Value, long Count)> before, IReadOnlyList<(double Value, long Count)> after, double confidence)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must be above 0 and below 1.");
        }

        var b = Sorted(before, nameof(before));
        var a = Sorted(after, nameof(after));
        long n1 = b.Sum(e => e.Count);
        long n2 = a.Sum(e => e.Count);
        long pairs = checked(n1 * n2);
        double shift = pairs % 2 == 1
            ? KthDifference(b, a, (pairs + 1) / 2)
            : (KthDifference(b, a, pairs / 2) + KthDifference(b, a, (pairs / 2) + 1)) / 2;

        double z = NormalDistribution.UpperQuantile((1 - confidence) / 2);
        double sigma = MannWhitneyU.SigmaOfU(b, a);
        long c = (long)Math.Round((pairs / 2.0) - (z * sigma), MidpointRounding.AwayFromZero);
        c = Math.Clamp(c, 1, Math.Max(1, pairs / 2));
        return new ShiftEstimate(shift, KthDifference(b, a, c), KthDifference(b, a, pairs + 1 - c), confidence);
    }

    /// <summary>The k-th smallest (1-based) of the differences after − before, each pair weighted by both counts.</summary>
    internal static double KthDifference(List<(double Value, long Count)> before, List<(double Value, long Count)> after, long k)
    {
        double low = after[0].Value - before[^1].Value; // the smallest difference: count(low) ≥ 1
        double high = after[^1].Value - before[0].Value; // the largest: count(high) = n1·n2
        if (CountAtMost(before, after, low) >= k)
        {
            return low;
        }

        // Invariant: count(low) < k ≤ count(high). The answer is a difference, so high converges onto it.
        double tolerance = Math.Max(Math.Abs(high), Math.Abs(low)) * 1e-12;
        while (high - low > tolerance)
        {
            double middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (CountAtMost(before, after, middle) >= k)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return Nearest(before, after, high);
    }

    /// <summary>How many pairs have after − before ≤ <paramref name="d"/>, i.e. before ≥ after − d: as after rises, so
    /// does after − d, so one pointer walks the before values once, past those below it.</summary>
    private static double CountAtMost(List<(double Value, long Count)> before, List<(double Value, long Count)> after, double d)
    {
        double total = before.Sum(e => (double)e.Count);
        double count = 0;
        double beforeBelow = 0;
        int j = 0;
        foreach ((double value, long weight) in after)
        {
            double limit = value - d;
            while (j < before.Count && before[j].Value < limit)
            {
                beforeBelow += before[j].Count;
                j++;
            }

            count += weight * (total - beforeBelow);
        }

        return count;
    }

    /// <summary>The difference after − before closest to <paramref name="d"/> (the bisection's end lies within rounding
    /// of one): exact digits rather than a midpoint's.</summary>
    private static double Nearest(List<(double Value, long Count)> before, List<(double Value, long Count)> after, double d)
    {
        double best = d;
        double bestDistance = double.PositiveInfinity;
        int j = 0;
        foreach ((double value, _) in after)
        {
            // The before value nearest to value − d: the pointer only moves forward as value rises.
            double target = value - d;
            while (j + 1 < before.Count && before[j + 1].Value <= target)
            {
                j++;
            }

            for (int i = Math.Max(0, j - 1); i <= Math.Min(before.Count - 1, j + 1); i++)
            {
                double difference = value - before[i].Value;
                double distance = Math.Abs(difference - d);
                if (distance < bestDistance)
                {
                    best = difference;
                    bestDistance = distance;
                }
            }
        }

        return best;
    }

    private static List<(double Value, long Count)> Sorted(IReadOnlyList<(double Value, long Count)> sample, string name)
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

        if (list.Count == 0)
        {
            throw new ArgumentException("The sample is empty.", name);
        }

        list.Sort((x, y) => x.Value.CompareTo(y.Value));
        return list;
    }
}

/// <summary>A Hodges–Lehmann shift of "after" against "before", in the samples' unit (ms for latencies): positive when
/// "after" is larger (slower).</summary>
/// <param name="Shift">The median of all differences after − before.</param>
/// <param name="Low">The confidence interval's lower end.</param>
/// <param name="High">Its upper end.</param>
/// <param name="Confidence">The interval's level, e.g. 0.95.</param>
public sealed record ShiftEstimate(double Shift, double Low, double High, double Confidence);
