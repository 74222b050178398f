using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Comparison;


namespace PerfTools.Tests.Reports.Comparison;

/// <summary>What both load tools do with a baseline: which labels are compared, which are only listed, and the gate's lines.</summary>
public sealed class RunComparisonTests
{
    private static IReadOnlyList<(double ValueMs, long Count)> Ms(params double[] values) => values.Select(v => (v, 1L)).ToList();

    [Test]
    public void Compare_LabelsOnEitherSide_ComparedInRunOrderOthersListed()
    {
        (string, IReadOnlyList<(double, long)>)[] before = [("GET /gone", Ms(1, 2)), ("GET /b", Ms(1, 2, 3)), ("GET /a", Ms(1, 2, 3))];
        (string, IReadOnlyList<(double, long)>)[] after = [("GET /a", Ms(1, 2, 3)), ("GET /new", Ms(5, 6)), ("GET /b", Ms())];

        var c = RunComparison.Compare("base.json", before, after, 0.05, "endpoint");

        using var console = new StringWriter();
        c.WriteConsole(console);
        Assert.Multiple(() =>
        {
            Assert.That(c.Rows.Select(r => (r.Label, r.Verdict)), Is.EqualTo(new[]
            {
                ("GET /a", ComparisonVerdict.NoSignificantChange),
                ("GET /b", ComparisonVerdict.NotEnoughSamples), // measured only errors this time
            }));
            Assert.That(c.New, Is.EqualTo(new[] { "GET /new" }));
            Assert.That(c.OnlyInBaseline, Is.EqualTo(new[] { "GET /gone" }));
            Assert.That(console.ToString(), Does.Contain("new (not in the baseline, not tested): GET /new"));
            Assert.That(console.ToString(), Does.Contain("only in baseline (not measured in this run): GET /gone"));
        });
    }

    [Test]
    public void Gate_SlowerAboveAndBelowTheLimit_OneLinePerRegression()
    {
        // 20 against 20 without overlap: significant either way; p50 (nearest rank: the 10th) up 22% (a) and 99% (b).
        var slow10 = Enumerable.Range(0, 20).Select(i => 100.0 + i).ToArray();
        var base10 = slow10.Select(v => v - 20).ToArray();
        (string, IReadOnlyList<(double, long)>)[] before = [("a", Ms(base10)), ("b", Ms(Enumerable.Range(0, 20).Select(i => 10.0 + (i / 100.0)).ToArray()))];
        (string, IReadOnlyList<(double, long)>)[] after = [("a", Ms(slow10)), ("b", Ms(Enumerable.Range(0, 20).Select(i => 20.0 + (i / 100.0)).ToArray()))];
        var c = RunComparison.Compare("base.json", before, after, 0.05, "scenario");

        IReadOnlyList<string> at50 = c.Gate(50, out bool failed50);
        IReadOnlyList<string> at150 = c.Gate(150, out bool failed150);

        Assert.Multiple(() =>
        {
            Assert.That(c.Rows.Select(r => r.Verdict), Is.All.EqualTo(ComparisonVerdict.Slower));
            Assert.That(failed50, Is.True);
            Assert.That(at50, Is.EqualTo(new[] { "regression: b: p50 10.09 → 20.09 ms (+99.1%), slower (p < 0.0001), more than --max-regression-pct 50" }));
            Assert.That(failed150, Is.False);
            Assert.That(at150, Is.EqualTo(new[] { "regression gate passed: no scenario significantly slower with its p50 up more than 150%" }));
        });
    }
}
