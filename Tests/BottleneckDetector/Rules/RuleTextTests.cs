using PerfTools.BottleneckDetector.Rules;

namespace PerfTools.Tests.BottleneckDetector.Rules;

public class RuleTextTests
{
    [TestCase("up", new string?[] { }, "up")]
    [TestCase("up", new string?[] { null, "" }, "up")]
    [TestCase("up", new string?[] { "job=\"forum\"" }, "up{job=\"forum\"}")]
    [TestCase("jvm_memory_used_bytes{area=\"heap\"}", new string?[] { "job=\"forum\"" }, "jvm_memory_used_bytes{area=\"heap\",job=\"forum\"}")]
    [TestCase("c", new string?[] { "job=\"forum\"", "code=~\"5..\"" }, "c{job=\"forum\",code=~\"5..\"}")]
    public void Select_AddsMatchersOrMergesIntoExistingBraces(string metric, string?[] matchers, string expected)
    {
        Assert.That(RuleText.Select(metric, matchers), Is.EqualTo(expected));
    }
}
