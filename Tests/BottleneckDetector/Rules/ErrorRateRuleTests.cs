using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

public class ErrorRateRuleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Test]
    public void Evaluate_AboveOnePercentWithTraffic_Warns()
    {
        var errors = By("endpoint", ("/posts", 0.04), ("/boards", 0.0));
        var total = By("endpoint", ("/posts", 2.0), ("/boards", 5.0));

        var finding = ErrorRateRule.Evaluate(errors, total, "endpoint", Window, "q", new()).Single();

        Assert.That(finding.Rule, Is.EqualTo("error_rate"));
        Assert.That(finding.Target, Is.EqualTo("/posts"));
        Assert.That(finding.Value, Is.EqualTo(0.02).Within(1e-12));
        Assert.That(finding.Unit, Is.EqualTo("ratio"));
        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(finding.Threshold, Is.EqualTo(0.01));
    }

    [Test]
    public void Evaluate_AboveFivePercent_IsCritical()
    {
        var finding = ErrorRateRule.Evaluate(By("endpoint", ("/a", 1.0)), By("endpoint", ("/a", 2.0)), "endpoint", Window, "q", new()).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Critical));
    }

    [Test]
    public void Evaluate_AtOrBelowOnePercent_FindsNothing()
    {
        Assert.That(ErrorRateRule.Evaluate(By("endpoint", ("/a", 0.01)), By("endpoint", ("/a", 1.0)), "endpoint", Window, "q", new()), Is.Empty);
    }

    [Test]
    public void Evaluate_TooLittleTraffic_FindsNothing()
    {
        // 0.1 requests/s over 5 minutes is 30 requests: below both 1/s and 50 in the window
        Assert.That(ErrorRateRule.Evaluate(By("endpoint", ("/a", 0.1)), By("endpoint", ("/a", 0.1)), "endpoint", Window, "q", new()), Is.Empty);
    }

    [Test]
    public void Evaluate_FiftyRequestsInTheWindow_IsEnough()
    {
        // 0.2/s over 5 minutes = 60 requests
        Assert.That(ErrorRateRule.Evaluate(By("endpoint", ("/a", 0.1)), By("endpoint", ("/a", 0.2)), "endpoint", Window, "q", new()), Has.Count.EqualTo(1));
    }
}
