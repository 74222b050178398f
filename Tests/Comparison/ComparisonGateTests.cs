using PerfTools.Shared.Comparison;


namespace PerfTools.Tests.Comparison;

public sealed class ComparisonGateTests
{
    private static LatencyComparison Row(string label, ComparisonVerdict verdict, double p50Before, double p50After) => new(
        label, 100, 100, p50Before, p50After, LatencyComparer.ChangePct(p50Before, p50After), 0, 0, null, 0, 0, null, 0, 0, null,
        null, 0.05, verdict);

    [Test]
    public void Regressions_MixedRows_OnlySlowerBeyondTheLimit()
    {
        LatencyComparison[] rows =
        [
            Row("slower by 30%", ComparisonVerdict.Slower, 10, 13),
            Row("slower by 5%", ComparisonVerdict.Slower, 10, 10.5),
            Row("slower by exactly 10%", ComparisonVerdict.Slower, 100, 110),
            Row("up 50% but not significant", ComparisonVerdict.NoSignificantChange, 10, 15),
            Row("up 50%, too few samples", ComparisonVerdict.NotEnoughSamples, 10, 15),
            Row("faster", ComparisonVerdict.Faster, 10, 5),
            Row("slower from 0", ComparisonVerdict.Slower, 0, 1),
        ];

        var labels = ComparisonGate.Regressions(rows, 10).Select(r => r.Label);

        Assert.That(labels, Is.EqualTo(new[] { "slower by 30%", "slower from 0" }), "exactly 10% is not beyond 10%");
    }

    [Test]
    public void Regressions_LimitZero_AnySignificantSlowdownWhoseMedianRose()
    {
        LatencyComparison[] rows =
        [
            Row("median up", ComparisonVerdict.Slower, 10, 10.1),
            Row("median same, tail slower", ComparisonVerdict.Slower, 10, 10),
        ];

        Assert.That(ComparisonGate.Regressions(rows, 0).Select(r => r.Label), Is.EqualTo(new[] { "median up" }));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Regressions_BadLimit_Throws(double limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonGate.Regressions([], limit));
    }
}
