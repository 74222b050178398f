using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.Analysis;

public sealed class HolmBonferroniTests
{
    [Test]
    public void Adjust_FourPValues_StepDownAsRsPAdjustHolm()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → monotone: 0.02, 0.03, 0.06, 0.06;
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02.
        double[] adjusted = HolmBonferroni.Adjust([0.01, 0.04, 0.03, 0.005]);

        Assert.That(adjusted, Is.EqualTo(new[] { 0.03, 0.06, 0.06, 0.02 }).Within(1e-12));
    }

    [Test]
    public void Adjust_CappedAtOne_OneTestUnchanged()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HolmBonferroni.Adjust([0.5, 0.6]), Is.EqualTo(new[] { 1.0, 1.0 }));
            Assert.That(HolmBonferroni.Adjust([0.0123]), Is.EqualTo(new[] { 0.0123 }));
            Assert.That(HolmBonferroni.Adjust([]), Is.Empty);
        });
    }

    [Test]
    public void Adjust_PValueOutsideZeroToOne_Throws() =>
        Assert.Throws<ArgumentException>(() => HolmBonferroni.Adjust([0.1, 1.5]));
}
