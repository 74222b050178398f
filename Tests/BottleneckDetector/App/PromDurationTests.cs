using PerfTools.BottleneckDetector;

namespace PerfTools.Tests.BottleneckDetector.App;

public class PromDurationTests
{
    [TestCase("30s", 30_000)]
    [TestCase("90s", 90_000)]
    [TestCase("5m", 300_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("1h30m", 5_400_000)]
    [TestCase("2d", 172_800_000)]
    [TestCase("1w", 604_800_000)]
    [TestCase("1y", 31_536_000_000)]
    [TestCase("500ms", 500)]
    [TestCase("1m500ms", 60_500)]
    [TestCase("0s", 0)]
    public void TryParse_PrometheusDuration_GivesMilliseconds(string text, long expectedMs)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PromDuration.TryParse(text, out TimeSpan value), Is.True);
            Assert.That(value, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
            Assert.That(PromDuration.Parse(text), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
        });
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("-5m")]
    [TestCase("5x")]
    [TestCase("1.5h")]
    [TestCase("5 m")]
    [TestCase("5M")]
    [TestCase("30m1h")] // Prometheus wants the largest unit first
    [TestCase("5m5m")]
    [TestCase("m")]
    [TestCase("99999999999999999999s")]
    public void TryParse_NotADuration_False(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PromDuration.TryParse(text, out _), Is.False);
            Assert.That(() => PromDuration.Parse(text), Throws.TypeOf<FormatException>());
        });
    }
}
