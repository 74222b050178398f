using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.Analysis;

/// <summary>When the generator is said to have fallen behind, and what the warning tells the user.</summary>
public sealed class GeneratorLagTests
{
    [TestCase(1000, 9, false, TestName = "Behind_UnderOnePercent_No")]
    [TestCase(1000, 10, true, TestName = "Behind_OnePercent_Yes")]
    [TestCase(0, 0, false, TestName = "Behind_NothingStarted_No")]
    [TestCase(40, 9, false, TestName = "Behind_ManyPercentButFewerThanTen_No")]
    [TestCase(40, 10, true, TestName = "Behind_TenOfForty_Yes")]
    public void Behind_Share(long items, long lateOwn, bool expected)
    {
        Assert.That(new GeneratorLag(items, lateOwn, 5_000, false).Behind, Is.EqualTo(expected));
    }

    [Test]
    public void Warning_NamesTheShareTheLagWhatItDoesAndTheRemedy()
    {
        string warning = new GeneratorLag(200_000, 43_220, 200_000, false).Warning;

        Assert.Multiple(() =>
        {
            Assert.That(warning, Does.Contain("43220 of 200000 sends (21.6 %)"));
            Assert.That(warning, Does.Contain("max 200.0 ms"));
            Assert.That(warning, Does.Contain("overstates the target's"));
            Assert.That(warning, Does.Contain("--rps").And.Contain("--max-in-flight").And.Contain("machines"));
            Assert.That(warning, Does.Not.Contain("\n"));
        });
    }

    [Test]
    public void Warning_Rounds_CountsRounds()
    {
        Assert.That(new GeneratorLag(100, 5, 2_000, true).Warning, Does.Contain("5 of 100 rounds (5.0 %)"));
    }
}
