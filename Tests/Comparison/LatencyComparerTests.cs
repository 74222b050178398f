using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Tests.Analysis;


namespace PerfTools.Tests.Comparison;

public sealed class LatencyComparerTests
{
    [Test]
    public void Compare_IdenticalInputs_NoSignificantChange()
    {
        var random = new Random(12345);
        var sample = Enumerable.Range(0, 200).Select(_ => MannWhitneyUTests.Normal(random, 100, 10)).ToList();

        LatencyComparison c = LatencyComparer.Compare("GET /x", sample, sample);

        Assert.Multiple(() =>
        {
            Assert.That(c.Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(c.Test!.PValue, Is.EqualTo(1));
            Assert.That(c.P50ChangePct, Is.Zero);
            Assert.That(c.MeanChangePct, Is.Zero);
        });
    }

    [Test]
    public void Compare_TenPercentSlowerOn200Samples_SlowerAtAlpha005()
    {
        // Lognormal around 100 ms with a 10% spread (σ of log = 0.1), after × 1.1: a 10% shift, seeded.
        var random = new Random(12345);
        var before = Enumerable.Range(0, 200).Select(_ => 100 * Math.Exp(MannWhitneyUTests.Normal(random, 0, 0.1))).ToList();
        var after = Enumerable.Range(0, 200).Select(_ => 110 * Math.Exp(MannWhitneyUTests.Normal(random, 0, 0.1))).ToList();

        LatencyComparison c = LatencyComparer.Compare("GET /x", before, after, 0.05);
        TestContext.Out.WriteLine($"p = {c.Test!.PValue:G3}, z = {c.Test.Z:F2}, P(after > before) = {c.Test.ProbabilityOfSuperiority:F3}, p50 {c.P50ChangePct:+0.0;-0.0}%");

        Assert.Multiple(() =>
        {
            Assert.That(c.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(c.Test!.PValue, Is.LessThan(0.05));
            Assert.That(c.Test.ProbabilityOfSuperiority, Is.GreaterThan(0.5));
            Assert.That(c.P50ChangePct, Is.EqualTo(10).Within(4), "the medians are about 10% apart");
            Assert.That((c.NBefore, c.NAfter), Is.EqualTo((200L, 200L)));
        });
    }

    [Test]
    public void Compare_TenPercentFasterOn200Samples_Faster()
    {
        var random = new Random(12345);
        var before = Enumerable.Range(0, 200).Select(_ => MannWhitneyUTests.Normal(random, 100, 10)).ToList();
        var after = Enumerable.Range(0, 200).Select(_ => MannWhitneyUTests.Normal(random, 90, 10)).ToList();

        LatencyComparison c = LatencyComparer.Compare("GET /x", before, after);

        Assert.Multiple(() =>
        {
            Assert.That(c.Verdict, Is.EqualTo(ComparisonVerdict.Faster));
            Assert.That(c.Test!.ProbabilityOfSuperiority, Is.LessThan(0.5));
            Assert.That(c.P50ChangePct, Is.Negative);
        });
    }

    [Test]
    public void Compare_SignificantAtOneAlphaOnly_VerdictFollowsAlpha()
    {
        // Exact p of 1 2 3 vs 4 5 6: 2 of C(6,3) = 20 orderings are as extreme, p = 0.1.
        double[] before = [1, 2, 3];
        double[] after = [4, 5, 6];

        Assert.Multiple(() =>
        {
            Assert.That(LatencyComparer.Compare("x", before, after, 0.05).Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(LatencyComparer.Compare("x", before, after, 0.2).Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(LatencyComparer.Compare("x", before, after, 0.2).Test!.PValue, Is.EqualTo(0.1).Within(1e-12));
        });
    }

    [TestCase(1, 5)]
    [TestCase(5, 1)]
    [TestCase(0, 5)]
    [TestCase(0, 0)]
    public void Compare_FewerThanTwoOnASide_NotEnoughSamplesNotTested(int nBefore, int nAfter)
    {
        LatencyComparison c = LatencyComparer.Compare(
            "x", Enumerable.Repeat(10.0, nBefore).ToList(), Enumerable.Repeat(1.0, nAfter).ToList());

        Assert.Multiple(() =>
        {
            Assert.That(c.Verdict, Is.EqualTo(ComparisonVerdict.NotEnoughSamples));
            Assert.That(c.Test, Is.Null);
            Assert.That(c.P50BeforeMs, Is.EqualTo(nBefore == 0 ? 0 : 10), "a side without samples reads 0");
        });
    }

    [Test]
    public void Compare_WeightedInput_NearestRankPercentilesAndWeightedMean()
    {
        // 10 samples: 1 ms × 5, 2 ms × 3, 10 ms × 1, 50 ms × 1. Nearest rank: p50 → rank 5 → 1 ms; p95 → rank ⌈9.5⌉ = 10
        // → 50 ms; p99 → rank 10 → 50 ms. Mean = (5 + 6 + 10 + 50) / 10 = 7.1 ms.
        (double, long)[] before = [(10, 1), (1, 5), (50, 1), (2, 3)];
        (double, long)[] after = [(2, 10)];

        LatencyComparison c = LatencyComparer.Compare("x", before, after);

        Assert.Multiple(() =>
        {
            Assert.That(c.NBefore, Is.EqualTo(10));
            Assert.That(c.P50BeforeMs, Is.EqualTo(1));
            Assert.That(c.P95BeforeMs, Is.EqualTo(50));
            Assert.That(c.P99BeforeMs, Is.EqualTo(50));
            Assert.That(c.MeanBeforeMs, Is.EqualTo(7.1).Within(1e-12));
            Assert.That(c.P50ChangePct, Is.EqualTo(100), "1 → 2 ms");
            Assert.That(c.MeanChangePct, Is.EqualTo((2 - 7.1) / 7.1 * 100).Within(1e-9));
        });
    }

    [Test]
    public void Compare_HistogramOfARecorder_SameAsExpandedSamplesAtItsResolution()
    {
        // The simulator's path: recorder → RecordedValues (µs) → FromMicros (ms).
        var random = new Random(12345);
        var before = new LatencyRecorder();
        var after = new LatencyRecorder();
        for (int i = 0; i < 600; i++)
        {
            before.Record((long)MannWhitneyUTests.Normal(random, 100_000, 10_000));
            after.Record((long)MannWhitneyUTests.Normal(random, 115_000, 10_000)); // +15 %: beyond the 5 % threshold
        }

        var b = LatencyComparer.FromMicros(before.RecordedValues());
        var a = LatencyComparer.FromMicros(after.RecordedValues());
        LatencyComparison weighted = LatencyComparer.Compare("x", b, a);
        LatencyComparison expanded = LatencyComparer.Compare(
            "x",
            b.SelectMany(e => Enumerable.Repeat(e.ValueMs, (int)e.Count)).ToList(),
            a.SelectMany(e => Enumerable.Repeat(e.ValueMs, (int)e.Count)).ToList());

        Assert.Multiple(() =>
        {
            Assert.That(weighted with { MeanBeforeMs = 0, MeanAfterMs = 0, MeanChangePct = 0 },
                Is.EqualTo(expanded with { MeanBeforeMs = 0, MeanAfterMs = 0, MeanChangePct = 0 }));
            Assert.That(weighted.MeanBeforeMs, Is.EqualTo(expanded.MeanBeforeMs).Within(1e-9), "sums in another order");
            Assert.That(weighted.P50BeforeMs * 1000, Is.EqualTo(before.ValueAtPercentileMicros(50)), "the recorder's own p50");
            Assert.That(weighted.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
        });
    }

    [Test]
    public void Compare_BaselineZero_ChangeNull()
    {
        LatencyComparison c = LatencyComparer.Compare("x", [0.0, 0.0], [1.0, 2.0]);

        Assert.Multiple(() =>
        {
            Assert.That(c.P50ChangePct, Is.Null);
            Assert.That(c.MeanChangePct, Is.Null);
        });
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void Compare_AlphaOutsideZeroOne_Throws(double alpha)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyComparer.Compare("x", [1.0, 2.0], [1.0, 2.0], alpha));
    }

    [Test]
    public void Compare_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencyComparer.Compare("x", [(1.0, -1L)], [(1.0, 2L)]));
    }

    [TestCase(ComparisonVerdict.Faster, "faster")]
    [TestCase(ComparisonVerdict.Slower, "slower")]
    [TestCase(ComparisonVerdict.NoSignificantChange, "no significant change")]
    [TestCase(ComparisonVerdict.NotEnoughSamples, "not enough samples")]
    public void ToText_EachVerdict_DocumentedWordsAndParsesBack(ComparisonVerdict verdict, string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(verdict.ToText(), Is.EqualTo(text));
            Assert.That(ComparisonVerdicts.Parse(text), Is.EqualTo(verdict));
        });
    }

    [Test]
    public void Parse_UnknownVerdict_FormatException()
    {
        Assert.Throws<FormatException>(() => ComparisonVerdicts.Parse("Faster"));
    }

    /// <summary>A loopback endpoint of 10 ms with a little jitter, as the analyzer would measure it 50 times.</summary>
    private static List<double> Endpoint(Random random, double ms, int n = 50) =>
        Enumerable.Range(0, n).Select(_ => Math.Round(ms + Math.Abs(MannWhitneyUTests.Normal(random, 0, ms * 0.02)), 3)).ToList();

    [Test]
    public void Compare_PlantedTwentyPercent_SlowerWithItsShift()
    {
        var random = new Random(11);

        LatencyComparison c = LatencyComparer.Compare("GET /d", Endpoint(random, 10), Endpoint(random, 12));

        Assert.Multiple(() =>
        {
            Assert.That(c.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(c.Threshold!.PSlower, Is.LessThan(1e-6));
            Assert.That(c.Shift!.Shift, Is.EqualTo(2).Within(0.1));
            Assert.That(c.Shift.Low, Is.LessThan(c.Shift.Shift));
            Assert.That(c.ShiftPct, Is.EqualTo(20).Within(1.5));
        });
    }

    [Test]
    public void Compare_PlantedTwoPercent_NoSignificantChangeUnlessTheThresholdIsZero()
    {
        var random = new Random(12);
        var before = Endpoint(random, 10, 200);
        var after = Endpoint(random, 10.2, 200);

        LatencyComparison byDefault = LatencyComparer.Compare("GET /d", before, after);
        LatencyComparison noThreshold = LatencyComparer.Compare("GET /d", before, after, minChangePct: 0);

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange), "+2 % is within ±5 %");
            Assert.That(byDefault.Threshold!.MinChangePct, Is.EqualTo(5));
            Assert.That(noThreshold.Verdict, Is.EqualTo(ComparisonVerdict.Slower), "the shift itself is real and measurable");
            Assert.That(noThreshold.Threshold!.PValue, Is.EqualTo(noThreshold.Test!.PValue).Within(1e-12), "P = 0 is the two-sided test");
        });
    }

    [Test]
    public void Compare_UnchangedEndpointsTwoHundredTimes_NoFalseVerdict()
    {
        // The A/A test in miniature: pairs of runs of the same lognormal endpoint (10 % spread), 50 samples each.
        var random = new Random(2026);
        int verdicts = 0;
        for (int i = 0; i < 200; i++)
        {
            var before = Enumerable.Range(0, 50).Select(_ => Math.Exp(MannWhitneyUTests.Normal(random, Math.Log(10), 0.1))).ToList();
            var after = Enumerable.Range(0, 50).Select(_ => Math.Exp(MannWhitneyUTests.Normal(random, Math.Log(10), 0.1))).ToList();
            verdicts += LatencyComparer.Compare("GET /same", before, after).Verdict is ComparisonVerdict.Faster or ComparisonVerdict.Slower ? 1 : 0;
        }

        Assert.That(verdicts, Is.Zero);
    }

    [Test]
    public void AdjustForFamily_OneModestPAmongFive_NoLongerSignificant()
    {
        var random = new Random(5);
        static LatencyComparison WithP(LatencyComparison row, double p) =>
            row with { Threshold = row.Threshold! with { PSlower = p / 2, PFaster = 1, PValue = p, PAdjusted = p } };
        var rows = new List<LatencyComparison>
        {
            WithP(LatencyComparer.Compare("GET /a", Endpoint(random, 10), Endpoint(random, 12)), 0.02),
            WithP(LatencyComparer.Compare("GET /b", Endpoint(random, 10), Endpoint(random, 12)), 0.001),
        };
        rows.AddRange(Enumerable.Range(0, 3).Select(i => WithP(LatencyComparer.Compare($"GET /{i}", Endpoint(random, 5), Endpoint(random, 5)), 0.5)));
        rows.Add(LatencyComparer.Compare("POST /x", [1.0], [1.0, 2.0]));

        IReadOnlyList<LatencyComparison> family = LatencyComparer.AdjustForFamily(rows);

        // Holm over the five tested: 0.001 · 5 = 0.005, then 0.02 · 4 = 0.08, then 0.5 · 3 = 1.5 → 1.
        Assert.Multiple(() =>
        {
            Assert.That(family[1].Threshold!.PAdjusted, Is.EqualTo(0.005).Within(1e-12));
            Assert.That(family[1].Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(family[0].Threshold!.PAdjusted, Is.EqualTo(0.08).Within(1e-12));
            Assert.That(family[0].Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange), "alone (p 0.02) it would be slower");
            Assert.That(family[0].Threshold!.FamilySize, Is.EqualTo(5), "the untested row is not in the family");
            Assert.That(family[2].Threshold!.PAdjusted, Is.EqualTo(1));
            Assert.That(family[5], Is.SameAs(rows[5]));
        });
    }

    [Test]
    public void Reconcile_CorrectedSlowerUncorrectedUnchanged_Inconclusive()
    {
        var random = new Random(8);
        var before = Endpoint(random, 1);
        LatencyComparison corrected = LatencyComparer.Compare("load", before, Endpoint(random, 1.5));
        LatencyComparison uncorrected = LatencyComparer.Compare("load", before, Endpoint(random, 1));
        LatencyComparison agreeing = LatencyComparer.Compare("slow", before, Endpoint(random, 1.5));
        LatencyComparison unchanged = LatencyComparer.Compare("steady", before, Endpoint(random, 1));
        LatencyComparison movedUncorrected = LatencyComparer.Compare("steady", before, Endpoint(random, 0.7));

        IReadOnlyList<LatencyComparison> rows = LatencyComparer.Reconcile([corrected, agreeing, unchanged], [uncorrected, agreeing, movedUncorrected]);

        Assert.Multiple(() =>
        {
            Assert.That(corrected.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(rows[0].Verdict, Is.EqualTo(ComparisonVerdict.Inconclusive));
            Assert.That(rows[0].UncorrectedVerdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(rows[1].Verdict, Is.EqualTo(ComparisonVerdict.Slower), "both looks agree");
            Assert.That(rows[1].UncorrectedVerdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(rows[2].Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange), "what a user waits for did not change");
            Assert.That(rows[2].UncorrectedVerdict, Is.EqualTo(ComparisonVerdict.Faster));
        });
    }

    [Test]
    public void MarkGeneratorBehind_SlowerRowOfABehindScenario_InconclusiveOthersKept()
    {
        var random = new Random(9);
        var before = Endpoint(random, 1);
        LatencyComparison slower = LatencyComparer.Compare("load", before, Endpoint(random, 1.5));
        LatencyComparison steady = LatencyComparer.Compare("slow", before, Endpoint(random, 1));
        LatencyComparison other = LatencyComparer.Compare("memory", before, Endpoint(random, 1.5));

        IReadOnlyList<LatencyComparison> rows = LatencyComparer.MarkGeneratorBehind([slower, steady, other], new HashSet<string> { "load", "slow" });

        Assert.Multiple(() =>
        {
            Assert.That(rows[0].Verdict, Is.EqualTo(ComparisonVerdict.Inconclusive), "a generator's lag must not read like a slower server");
            Assert.That(rows[0].GeneratorBehind, Is.True);
            Assert.That(ComparisonFormat.VerdictText(rows[0]), Does.StartWith("inconclusive (the load generator fell behind").And.EndWith("corrected: slower)"));
            Assert.That(rows[1].Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(rows[1].GeneratorBehind, Is.True);
            Assert.That(rows[2], Is.SameAs(other));
        });
    }

    [TestCase(-1)]
    [TestCase(100)]
    [TestCase(double.NaN)]
    public void Compare_ThresholdOutOfRange_Throws(double pct) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyComparer.Compare("x", [1.0, 2], [1.0, 2], minChangePct: pct));
}
