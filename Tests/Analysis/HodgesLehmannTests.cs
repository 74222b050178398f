using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.Analysis;

public sealed class HodgesLehmannTests
{
    [Test]
    public void Estimate_SmallSamples_MedianOfEveryDifferenceAndItsInterval()
    {
        // before 1 3 5, after 2 4 6 7: the 12 differences after − before, sorted:
        //   -3 -1 -1 1 1 1 2 3 3 4 5 6 → median (1 + 2) / 2 = 1.5.
        // Interval at 95 %: σ of U = √(3·4·8/12) = √8, C = round(6 − 1.96·√8) = round(0.46) = 0 → at least 1: [D1, D12].
        ShiftEstimate s = HodgesLehmann.Estimate([(1.0, 1L), (3, 1), (5, 1)], [(2.0, 1L), (4, 1), (6, 1), (7, 1)], 0.95);

        Assert.That(s, Is.EqualTo(new ShiftEstimate(1.5, -3, 6, 0.95)));
    }

    [Test]
    public void Estimate_WeightedSamples_SameAsExpanded()
    {
        var random = new Random(7);
        var before = Enumerable.Range(0, 40).Select(_ => ((double)random.Next(50, 90), (long)random.Next(1, 30))).ToList();
        var after = Enumerable.Range(0, 35).Select(_ => ((double)random.Next(55, 99), (long)random.Next(1, 30))).ToList();

        ShiftEstimate weighted = HodgesLehmann.Estimate(before, after, 0.9);
        var differences = (from b in before from a in after from i in Enumerable.Range(0, (int)(a.Item2 * b.Item2)) select a.Item1 - b.Item1)
            .Order().ToList();
        double median = differences.Count % 2 == 1
            ? differences[differences.Count / 2]
            : (differences[(differences.Count / 2) - 1] + differences[differences.Count / 2]) / 2;

        Assert.Multiple(() =>
        {
            Assert.That(weighted.Shift, Is.EqualTo(median), "brute force over every weighted pair");
            Assert.That(differences, Does.Contain(weighted.Low).And.Contain(weighted.High), "the ends are differences");
            Assert.That(weighted.Low, Is.LessThan(weighted.Shift));
            Assert.That(weighted.High, Is.GreaterThan(weighted.Shift));
        });
    }

    [Test]
    public void Estimate_ShiftedCopy_RecoversTheShiftInsideItsInterval()
    {
        var random = new Random(3);
        var before = Enumerable.Range(0, 400).Select(_ => (Math.Round(MannWhitneyUTests.Normal(random, 20, 2), 3), 1L)).ToList();
        var after = before.Select(b => (b.Item1 + 2.5, 1L)).ToList();

        ShiftEstimate s = HodgesLehmann.Estimate(before, after, 0.95);

        Assert.Multiple(() =>
        {
            Assert.That(s.Shift, Is.EqualTo(2.5).Within(1e-9));
            Assert.That(s.Low, Is.LessThanOrEqualTo(2.5).And.GreaterThan(2.0));
            Assert.That(s.High, Is.GreaterThanOrEqualTo(2.5).And.LessThan(3.0));
        });
    }

    [Test]
    public void Estimate_MillionsOfSamplesInFewBuckets_FastAndExact()
    {
        // An HdrHistogram's view of two long runs: counts in the millions cost nothing extra.
        var before = new List<(double, long)> { (1.0, 3_000_000), (2.0, 1_000_000) };
        var after = new List<(double, long)> { (2.0, 3_000_000), (3.0, 1_000_000) };

        ShiftEstimate s = HodgesLehmann.Estimate(before, after, 0.95);

        Assert.That(s, Is.EqualTo(new ShiftEstimate(1, 1, 1, 0.95)));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(double.NaN)]
    public void Estimate_BadConfidence_Throws(double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HodgesLehmann.Estimate([(1.0, 1L)], [(2.0, 1L)], confidence));

    [Test]
    public void Estimate_EmptySide_Throws() =>
        Assert.Throws<ArgumentException>(() => HodgesLehmann.Estimate([(1.0, 0L)], [(2.0, 1L)], 0.95));
}
