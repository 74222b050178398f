using System.Numerics;

namespace PerfTools.Shared.Analysis;

/// <summary>The two-sided Mann-Whitney U (Wilcoxon rank-sum) test of whether one sample tends to be larger than another,
/// on weighted samples, so an HdrHistogram's recorded values serve without expanding them.</summary>
/// <remarks>
/// <para>Work is O(k log k) in the number k of distinct values, not in the number of samples: values are sorted once,
/// and U is summed per distinct value (an "after" value beats every smaller "before" value and ties half of the equal ones).</para>
/// <para>p-value: the exact permutation distribution of U when there are no ties and both samples have fewer than
/// <see cref="ExactLimit"/> values (R's <c>wilcox.test</c> rule, so its results can be checked against R); otherwise the
/// normal approximation, with the variance corrected for ties (σ² = n1·n2/12 · (n+1 − Σ(t³−t)/(n(n−1))), t the size
/// of each group of equal values) and a continuity correction of ½ towards the mean (as R and SciPy do).</para>
/// </remarks>
public static class MannWhitneyU
{
    /// <summary>The exact distribution is used when both samples are smaller than this and tie-free (at most 49·49
    /// pairs: a polynomial of degree 2401, computed in exact integers in milliseconds).</summary>
    public const int ExactLimit = 50;

    public const string ExactMethod = "exact";

    public const string NormalMethod = "normal approximation, tie- and continuity-corrected";

    /// <summary>Tests <paramref name="after"/> against <paramref name="before"/>; see <see cref="MannWhitneyResult"/> for what U means.</summary>
    /// <param name="before">The first sample, as (value, how many times it occurs); entries with count 0 are ignored and
    /// values may repeat.</param>
    /// <param name="after">The second sample, likewise.</param>
    /// <exception cref="ArgumentException">A side has no samples, a count is negative, or a value is not finite.</exception>
    public static MannWhitneyResult Test(IReadOnlyList<(double Value, long Count)> before, IReadOnlyList<(double Value, long Count)> after) =>
        Test(before, after, allowExact: true);

    /// <param name="allowExact">False forces the normal approximation (SciPy's <c>method="asymptotic"</c>), for tests.</param>
    internal static MannWhitneyResult Test(
        IReadOnlyList<(double Value, long Count)> before, IReadOnlyList<(double Value, long Count)> after, bool allowExact)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var entries = new List<(double Value, long Before, long After)>(before.Count + after.Count);
        long n1 = Collect(before, entries, isAfter: false, nameof(before));
        long n2 = Collect(after, entries, isAfter: true, nameof(after));
        entries.Sort((a, b) => a.Value.CompareTo(b.Value));

        // One pass over the distinct values: U, and the tie term Σ(t³−t) of the variance.
        double u = 0;
        double tieTerm = 0;
        long beforeBelow = 0;
        bool ties = false;
        for (int i = 0; i < entries.Count;)
        {
            double value = entries[i].Value;
            long a = 0;
            long b = 0;
            for (; i < entries.Count && entries[i].Value == value; i++)
            {
                a += entries[i].Before;
                b += entries[i].After;
            }

            u += b * (beforeBelow + (a / 2.0));
            double t = a + b;
            tieTerm += (t * t * t) - t;
            ties |= a + b > 1;
            beforeBelow += a;
        }

        double pairs = (double)n1 * n2;
        double n = n1 + n2;
        double mean = pairs / 2;
        double variance = pairs / 12 * (n + 1 - (tieTerm / (n * (n - 1))));
        double z = 0;
        double normalP = 1;
        if (variance > 0)
        {
            // Continuity: U moves in steps of ½ or 1, so move ½ towards the mean, never past it (SciPy's rule; p ≤ 1).
            double deviation = Math.Max(Math.Abs(u - mean) - 0.5, 0);
            z = Math.Sign(u - mean) * deviation / Math.Sqrt(variance);
            normalP = Math.Min(1, 2 * NormalDistribution.UpperTail(Math.Abs(z)));
        }

        bool exact = allowExact && !ties && n1 < ExactLimit && n2 < ExactLimit;
        double p = exact ? ExactP((int)n1, (int)n2, (long)u) : normalP;
        return new MannWhitneyResult(n1, n2, u, z, p, exact ? ExactMethod : NormalMethod, u / pairs);
    }

    /// <summary>The one-sided p-value of "after tends to be larger than before" (<paramref name="greater"/>) or "smaller":
    /// exact (the upper or lower tail of U's permutation distribution) under the same conditions as <see cref="Test(IReadOnlyList{ValueTuple{double, long}}, IReadOnlyList{ValueTuple{double, long}})"/>,
    /// else the tie-corrected normal approximation with a continuity correction of ½ (R's <c>wilcox.test</c> with
    /// <c>alternative = "greater"</c> or <c>"less"</c>).</summary>
    /// <exception cref="ArgumentException">As <see cref="Test(IReadOnlyList{ValueTuple{double, long}}, IReadOnlyList{ValueTuple{double, long}})"/>.</exception>
    public static double OneSidedP(
        IReadOnlyList<(double Value, long Count)> before, IReadOnlyList<(double Value, long Count)> after, bool greater)
    {
        MannWhitneyResult test = Test(before, after);
        if (test.Method == ExactMethod)
        {
            BigInteger[] counts = ExactCounts((int)test.N1, (int)test.N2);
            BigInteger total = counts.Aggregate(BigInteger.Zero, (s, c) => s + c);
            long u = (long)test.U;
            BigInteger tail = BigInteger.Zero;
            for (long k = greater ? u : 0; k <= (greater ? counts.Length - 1 : u); k++)
            {
                tail += counts[k];
            }

            return Math.Min(1, (double)tail / (double)total);
        }

        // One-sided, the continuity correction moves U ½ against the alternative.
        double mean = (double)test.N1 * test.N2 / 2;
        double sigma = SigmaOfU(before, after);
        if (!(sigma > 0))
        {
            return 1; // every value tied: U cannot vary
        }

        double z = greater ? (test.U - mean - 0.5) / sigma : (test.U - mean + 0.5) / sigma;
        return greater ? NormalDistribution.UpperTail(z) : NormalDistribution.UpperTail(-z);
    }

    /// <summary>σ of U under the null hypothesis, tie-corrected (σ² = n1·n2/12 · (n+1 − Σ(t³−t)/(n(n−1)))); 0 when U
    /// cannot vary.</summary>
    internal static double SigmaOfU(IReadOnlyList<(double Value, long Count)> before, IReadOnlyList<(double Value, long Count)> after)
    {
        var counts = new Dictionary<double, double>();
        foreach ((double value, long count) in before.Concat(after))
        {
            if (count > 0)
            {
                counts[value] = counts.GetValueOrDefault(value) + count;
            }
        }

        double n1 = before.Sum(e => (double)e.Count);
        double n2 = after.Sum(e => (double)e.Count);
        double n = n1 + n2;
        if (n1 == 0 || n2 == 0)
        {
            return 0;
        }

        double tieTerm = counts.Values.Sum(t => (t * t * t) - t);
        double variance = n1 * n2 / 12 * (n + 1 - (tieTerm / (n * (n - 1))));
        return variance > 0 ? Math.Sqrt(variance) : 0;
    }

    /// <summary>Tests plain samples, each value counted once.</summary>
    /// <exception cref="ArgumentException">A side is empty or holds a value that is not finite.</exception>
    public static MannWhitneyResult Test(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Test(before.Select(v => (v, 1L)).ToList(), after.Select(v => (v, 1L)).ToList());
    }

    private static long Collect(
        IReadOnlyList<(double Value, long Count)> sample, List<(double, long, long)> into, bool isAfter, string name)
    {
        long total = 0;
        foreach ((double value, long count) in sample)
        {
            if (count < 0)
            {
                throw new ArgumentException($"A count is negative ({count}).", name);
            }

            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"A value is not finite ({value}).", name);
            }

            if (count > 0)
            {
                into.Add(isAfter ? (value, 0, count) : (value, count, 0));
                total = checked(total + count);
            }
        }

        return total > 0 ? total : throw new ArgumentException("The sample is empty.", name);
    }

    /// <summary>Two-sided exact p: twice the smaller tail at <paramref name="u"/>, at most 1 (R's <c>pwilcox</c> rule).</summary>
    internal static double ExactP(int n1, int n2, long u)
    {
        BigInteger[] counts = ExactCounts(n1, n2);
        BigInteger total = counts.Aggregate(BigInteger.Zero, (s, c) => s + c);
        BigInteger lower = BigInteger.Zero;
        for (long k = 0; k <= u; k++)
        {
            lower += counts[k];
        }

        BigInteger upper = total - lower + counts[u];
        BigInteger tail = BigInteger.Min(lower, upper);
        // Both fit a double easily (C(98, 49) ≈ 2.5e28); only the ratio is rounded.
        return Math.Min(1, 2 * ((double)tail / (double)total));
    }

    /// <summary>How many of the C(n1+n2, n1) orderings give each U = 0 … n1·n2: the coefficients of the Gaussian
    /// binomial ∏ᵢ₌₁..ₙ₁ (1 − q^(n2+i)) / (1 − q^i), built one factor at a time. Each partial product is itself a
    /// Gaussian binomial, a polynomial with non-negative integer coefficients, so the division is exact.</summary>
    internal static BigInteger[] ExactCounts(int n1, int n2)
    {
        int degree = n1 * n2;
        var c = new BigInteger[degree + 1];
        c[0] = BigInteger.One;
        for (int i = 1; i <= n1; i++)
        {
            // × (1 − q^(n2+i)), from the top so each coefficient is read before it is changed.
            for (int k = degree; k >= n2 + i; k--)
            {
                c[k] -= c[k - n2 - i];
            }

            // ÷ (1 − q^i): a running sum with step i.
            for (int k = i; k <= degree; k++)
            {
                c[k] += c[k - i];
            }
        }

        return c;
    }
}
