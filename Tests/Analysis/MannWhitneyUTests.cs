using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.Analysis;

public sealed class MannWhitneyUTests
{
    [Test]
    public void Test_SmallTieFreeSamples_MatchesHandComputedRanksAndExactP()
    {
        // before 1 3 5, after 2 4 6 7. Ranks of the pooled sample:
        //   1(B)=1  2(A)=2  3(B)=3  4(A)=4  5(B)=5  6(A)=6  7(A)=7
        // R_after = 2+4+6+7 = 19, U_after = 19 − 4·5/2 = 9 (pairs: 2>1, 4>1,3, 6>1,3,5, 7>1,3,5 → 1+2+3+3).
        // Exact: C(7,3) = 35 orderings; U ≤ 3 in 1+1+2+3 = 7 of them (partitions of 0…3 into ≤ 3 parts ≤ 4), and by
        // symmetry about 6 as many have U ≥ 9: p = 2 · 7/35 = 0.4.
        // Normal (for z): mean 6, σ² = 3·4/12 · 8 = 8, z = (9 − 6 − ½)/√8 = 0.88388.
        var result = MannWhitneyU.Test([1.0, 3, 5], [2.0, 4, 6, 7]);

        Assert.Multiple(() =>
        {
            Assert.That(result.N1, Is.EqualTo(3));
            Assert.That(result.N2, Is.EqualTo(4));
            Assert.That(result.U, Is.EqualTo(9));
            Assert.That(result.ProbabilityOfSuperiority, Is.EqualTo(0.75));
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.ExactMethod));
            Assert.That(result.PValue, Is.EqualTo(0.4).Within(1e-12));
            Assert.That(result.Z, Is.EqualTo(2.5 / Math.Sqrt(8)).Within(1e-12));
        });
    }

    [Test]
    public void OneSidedP_SmallTieFreeSamples_ExactTails()
    {
        // As above: U = 9 of 0…12, P(U ≥ 9) = 7/35; P(U ≤ 9) = 1 − P(U ≥ 10) = 1 − P(U ≤ 2) = 1 − 4/35.
        (double, long)[] before = [(1, 1), (3, 1), (5, 1)];
        (double, long)[] after = [(2, 1), (4, 1), (6, 1), (7, 1)];

        Assert.Multiple(() =>
        {
            Assert.That(MannWhitneyU.OneSidedP(before, after, greater: true), Is.EqualTo(7.0 / 35).Within(1e-12));
            Assert.That(MannWhitneyU.OneSidedP(before, after, greater: false), Is.EqualTo(31.0 / 35).Within(1e-12));
        });
    }

    [Test]
    public void OneSidedP_LargeSamples_NormalTailWithContinuityAgainstTheAlternative()
    {
        // 60 vs 60 with ties: normal; z = (U − mean − ½)/σ for "greater", (U − mean + ½)/σ for "less".
        var before = Enumerable.Range(0, 60).Select(i => ((double)(i % 20), 1L)).ToList();
        var after = Enumerable.Range(0, 60).Select(i => ((double)((i % 20) + 1), 1L)).ToList();
        MannWhitneyResult two = MannWhitneyU.Test(before, after);

        double greater = MannWhitneyU.OneSidedP(before, after, greater: true);
        double less = MannWhitneyU.OneSidedP(before, after, greater: false);

        Assert.Multiple(() =>
        {
            Assert.That(two.Method, Is.EqualTo(MannWhitneyU.NormalMethod));
            Assert.That(greater, Is.EqualTo(two.PValue / 2).Within(1e-12), "the two-sided p is twice the smaller tail");
            Assert.That(greater + less, Is.GreaterThan(1), "each tail holds the continuity step");
        });
    }

    [Test]
    public void Test_SmallSamplesWithTies_UsesMidranksAndTieCorrectedNormal()
    {
        // before 1 2 2 3, after 2 3 3 4. Pooled, ascending, with midranks for equal values:
        //   1(B)=1 | 2(B) 2(B) 2(A) = ranks 2,3,4 → 3 each | 3(B) 3(A) 3(A) = ranks 5,6,7 → 6 each | 4(A)=8
        // R_after = 3+6+6+8 = 23, U_after = 23 − 4·5/2 = 13.
        // Ties: groups of 3 and 3, Σ(t³−t) = 48; σ² = 16/12 · (9 − 48/56) = 10.857142…; mean 8;
        // z = (13 − 8 − ½)/√10.857142 = 1.365698; p = 2·(1 − Φ(1.365698)) = 0.172034 (Python math.erfc).
        var result = MannWhitneyU.Test([1.0, 2, 2, 3], [2.0, 3, 3, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(13));
            Assert.That(result.ProbabilityOfSuperiority, Is.EqualTo(13.0 / 16));
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.NormalMethod));
            Assert.That(result.Z, Is.EqualTo(1.365698202000489).Within(1e-9));
            Assert.That(result.PValue, Is.EqualTo(0.17203370892182296).Within(1e-9));
        });
    }

    [Test]
    public void Test_SciPyDocExample_GivesU17AndExactP()
    {
        // SciPy's scipy.stats.mannwhitneyu documentation, Examples (ages at diagnosis of type II diabetes):
        // mannwhitneyu(males, females, method="exact") → U1 = 17.0, p = 0.1111111111111111.
        // Our U is of "after", so males go second.
        // https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.mannwhitneyu.html
        double[] males = [19, 22, 16, 29, 24];
        double[] females = [20, 11, 17, 12];

        var result = MannWhitneyU.Test(females, males);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(17));
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.ExactMethod));
            Assert.That(result.PValue, Is.EqualTo(0.1111111111111111).Within(1e-12));
            Assert.That(result.PValue, Is.EqualTo(14.0 / 126).Within(1e-12)); // 2 · 7 of the C(9,4) = 126 orderings
        });
    }

    [Test]
    public void Test_SciPyDocExampleAsymptotic_MatchesSciPyNormalP()
    {
        // Same page: mannwhitneyu(males, females, method="asymptotic") → pvalue = 0.11134688653314041
        // (z = (17 − 10 − ½)/√(5·4·10/12) = 1.59217, continuity-corrected).
        double[] males = [19, 22, 16, 29, 24];
        double[] females = [20, 11, 17, 12];

        var result = MannWhitneyU.Test(
            females.Select(v => (v, 1L)).ToList(), males.Select(v => (v, 1L)).ToList(), allowExact: false);

        Assert.Multiple(() =>
        {
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.NormalMethod));
            Assert.That(result.Z, Is.EqualTo(1.5921683328090657).Within(1e-9));
            Assert.That(result.PValue, Is.EqualTo(0.11134688653314041).Within(1e-12));
        });
    }

    [Test]
    public void Test_RWilcoxDocExample_GivesW35AndExactP()
    {
        // R's ?wilcox.test, two-sample example (Hollander & Wolfe 1973, 69f., permeability constants): the doc runs
        // wilcox.test(x, y, alternative = "g") → "Wilcoxon rank sum exact test, W = 35, p-value = 0.1272"; two-sided is
        // twice that, 0.2544, which is what coin's exact wilcox_test prints for the same data (R-help, "Wilcoxon
        // Mann-Whitney Rank Sum Test", r.789695.n4.nabble.com/Wilcoxon-Mann-Whitney-Rank-Sum-Test-td790135.html).
        double[] x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
        double[] y = [1.15, 0.88, 0.90, 0.74, 1.21];

        var result = MannWhitneyU.Test(y, x);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(35));
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.ExactMethod));
            Assert.That(result.PValue, Is.EqualTo(0.2544).Within(0.00005));
        });
    }

    [Test]
    public void Test_RExampleWithTies_GivesW51Point5AndP0Point5966()
    {
        // wilcox.test(x, y) with ties: "Wilcoxon rank sum test with continuity correction, W = 51.5,
        // p-value = 0.5966" (endmemo.com/r/wilcoxon.php, R's default correct = TRUE).
        double[] x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
        double[] y = [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5];

        var result = MannWhitneyU.Test(y, x);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(51.5));
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.NormalMethod));
            Assert.That(result.PValue, Is.EqualTo(0.5966).Within(0.00005));
        });
    }

    [Test]
    public void Test_RExampleFarApart_GivesW0AndP0Point001364()
    {
        // Same page: y <- c(1233, 4356, 987, 39999, 1111, 200000); wilcox.test(x, y) → W = 0, p-value = 0.001364.
        double[] x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
        double[] y = [1233, 4356, 987, 39999, 1111, 200000];

        var result = MannWhitneyU.Test(y, x);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(0));
            Assert.That(result.ProbabilityOfSuperiority, Is.EqualTo(0));
            Assert.That(result.PValue, Is.EqualTo(0.001364).Within(0.0000005));
        });
    }

    [Test]
    public void Test_IdenticalInputs_GivesPOne()
    {
        var random = new Random(12345);
        var sample = Enumerable.Range(0, 200).Select(_ => Normal(random, 100, 10)).ToList();

        var result = MannWhitneyU.Test(sample, sample);

        Assert.Multiple(() =>
        {
            Assert.That(result.U, Is.EqualTo(200.0 * 200 / 2));
            Assert.That(result.PValue, Is.EqualTo(1));
            Assert.That(result.ProbabilityOfSuperiority, Is.EqualTo(0.5));
        });
    }

    [Test]
    public void Test_AllValuesEqual_GivesPOneNotNaN()
    {
        var result = MannWhitneyU.Test([(5.0, 300L)], [(5.0, 700L)]);

        Assert.Multiple(() =>
        {
            Assert.That(result.PValue, Is.EqualTo(1));
            Assert.That(result.Z, Is.EqualTo(0));
            Assert.That(result.ProbabilityOfSuperiority, Is.EqualTo(0.5));
        });
    }

    [Test]
    public void Test_TenPercentShiftOn200Samples_IsSignificant()
    {
        // 200 samples each, normal around 100 ms and 110 ms with sd 10 (one sd apart): expected z ≈ 8.
        var random = new Random(12345);
        var before = Enumerable.Range(0, 200).Select(_ => Normal(random, 100, 10)).ToList();
        var after = Enumerable.Range(0, 200).Select(_ => Normal(random, 110, 10)).ToList();

        var result = MannWhitneyU.Test(before, after);
        TestContext.Out.WriteLine($"p = {result.PValue:G3}, z = {result.Z:F2}, P(after > before) = {result.ProbabilityOfSuperiority:F3}");

        Assert.Multiple(() =>
        {
            Assert.That(result.Method, Is.EqualTo(MannWhitneyU.NormalMethod)); // 200 is past the exact cut
            Assert.That(result.PValue, Is.LessThan(0.05));
            Assert.That(result.ProbabilityOfSuperiority, Is.GreaterThan(0.5));
            Assert.That(result.Z, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Test_WeightedInput_EqualsExpandedInput()
    {
        (double, long)[] before = [(1.5, 3), (2.0, 1), (4.0, 5), (7.5, 2)];
        (double, long)[] after = [(2.0, 4), (4.0, 2), (9.0, 6), (1.0, 0)];
        var expandedBefore = before.SelectMany(e => Enumerable.Repeat(e.Item1, (int)e.Item2)).ToList();
        var expandedAfter = after.SelectMany(e => Enumerable.Repeat(e.Item1, (int)e.Item2)).ToList();

        var weighted = MannWhitneyU.Test(before, after);
        var expanded = MannWhitneyU.Test(expandedBefore, expandedAfter);

        Assert.That(weighted, Is.EqualTo(expanded));
    }

    [Test]
    public void Test_RepeatedValueEntries_AreMerged()
    {
        var split = MannWhitneyU.Test([(1.0, 2L), (3.0, 1L), (1.0, 3L)], [(2.0, 4L), (3.0, 2L)]);
        var merged = MannWhitneyU.Test([(1.0, 5L), (3.0, 1L)], [(2.0, 4L), (3.0, 2L)]);

        Assert.That(split, Is.EqualTo(merged));
    }

    [Test]
    public void Test_SwappedSides_MirrorsUAndKeepsP()
    {
        var forward = MannWhitneyU.Test([1.0, 2, 2, 3, 8], [2.0, 3, 3, 4, 9, 10]);
        var backward = MannWhitneyU.Test([2.0, 3, 3, 4, 9, 10], [1.0, 2, 2, 3, 8]);

        Assert.Multiple(() =>
        {
            Assert.That(backward.U, Is.EqualTo((forward.N1 * forward.N2) - forward.U));
            Assert.That(backward.Z, Is.EqualTo(-forward.Z).Within(1e-12));
            Assert.That(backward.PValue, Is.EqualTo(forward.PValue).Within(1e-12));
        });
    }

    [Test]
    public void Test_ExactCut_49UsesExactAnd50UsesNormal()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var below = MannWhitneyU.Test(Sequence(0, 49), Sequence(0.5, 49));
        TestContext.Out.WriteLine($"exact 49 × 49: {watch.Elapsed.TotalMilliseconds:F1} ms (first call, JIT included)");
        var at = MannWhitneyU.Test(Sequence(0, 50), Sequence(0.5, 49));

        Assert.Multiple(() =>
        {
            Assert.That(below.Method, Is.EqualTo(MannWhitneyU.ExactMethod));
            Assert.That(at.Method, Is.EqualTo(MannWhitneyU.NormalMethod));
            // Interleaved samples, U = 1225 of 2401 pairs (mean 1200.5): at the cut the exact p and the normal
            // approximation (z = 0.1705) agree to the third decimal, so the switch does not jump.
            Assert.That(below.PValue, Is.EqualTo(2 * NormalDistribution.UpperTail(below.Z)).Within(0.001));
        });
    }

    [Test]
    public void Test_SixHundredThousandSamplesInAHistogram_WorkIsInBucketsNotSamples()
    {
        // The simulator's case: 600k latencies per side, a few thousand histogram buckets.
        var random = new Random(12345);
        var before = new LatencyRecorder();
        var after = new LatencyRecorder();
        for (int i = 0; i < 600_000; i++)
        {
            before.Record((long)Math.Max(1, Normal(random, 100_000, 10_000)));
            after.Record((long)Math.Max(1, Normal(random, 100_500, 10_000)));
        }

        var b = before.RecordedValues().Select(e => ((double)e.ValueMicros, e.Count)).ToList();
        var a = after.RecordedValues().Select(e => ((double)e.ValueMicros, e.Count)).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = MannWhitneyU.Test(b, a);
        watch.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(b.Count + a.Count, Is.LessThan(20_000), "buckets, not samples");
            Assert.That(result.N1 + result.N2, Is.EqualTo(1_200_000));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), $"{watch.Elapsed.TotalMilliseconds} ms");
            Assert.That(result.PValue, Is.LessThan(1e-10), "a 0.5% shift is plain at this size");
        });
        TestContext.Out.WriteLine($"{b.Count + a.Count} buckets, {watch.Elapsed.TotalMilliseconds:F1} ms, z = {result.Z:F2}");
    }

    [Test]
    public void ExactCounts_SmallCase_AreTheGaussianBinomialCoefficients()
    {
        // U for n1 = 2, n2 = 3: 10 orderings; U = 0…6 occurs 1,1,2,2,2,1,1 times.
        var counts = MannWhitneyU.ExactCounts(2, 3).Select(c => (int)c).ToArray();

        Assert.That(counts, Is.EqualTo(new[] { 1, 1, 2, 2, 2, 1, 1 }));
    }

    [Test]
    public void Test_EmptySide_Throws()
    {
        Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([], [1.0]));
        Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([(1.0, 0L)], [(1.0, 3L)]));
    }

    [Test]
    public void Test_NegativeCountOrNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([(1.0, -1L), (2.0, 2L)], [(1.0, 3L)]));
        Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([1.0, double.NaN], [1.0, 2.0]));
    }

    [TestCase(0.0, 0.5)]
    [TestCase(1.0, 0.15865525393145707)]
    [TestCase(1.959963984540054, 0.025)]
    [TestCase(3.0, 0.0013498980316301035)]
    [TestCase(-1.0, 0.8413447460685429)]
    [TestCase(8.0, 6.22096057427178e-16)]
    public void UpperTail_KnownPoints_MatchesErfc(double x, double expected)
    {
        // Expected: ½·erfc(x/√2) from Python's math.erfc.
        Assert.That(NormalDistribution.UpperTail(x), Is.EqualTo(expected).Within(Math.Max(1e-14, expected * 1e-9)));
    }

    private static List<double> Sequence(double start, int count) => Enumerable.Range(0, count).Select(i => start + i).ToList();

    /// <summary>Box-Muller, from the seeded generator.</summary>
    internal static double Normal(Random random, double mean, double sd)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
