using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

public class CpuAndGcRuleTests
{
    private static readonly (string, string)[] Forum = [("job", "forum"), ("instance", "localhost:5000")];

    [Test]
    public void CpuSaturation_WithoutCoreCount_ComparesWithOneCoreAndSaysSo()
    {
        var finding = CpuSaturationRule.Evaluate(Vector(Series(0.9, Forum)), Vector(), "q", new()).Single();

        Assert.That(finding.Rule, Is.EqualTo("cpu_saturation"));
        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(finding.Value, Is.EqualTo(0.9));
        Assert.That(finding.Recommendation, Does.Contain("1 core (the core count is not exported"));
    }

    [Test]
    public void CpuSaturation_WithCores_DividesByThem()
    {
        Assert.That(CpuSaturationRule.Evaluate(Vector(Series(0.9, Forum)), Vector(Series(2, Forum)), "q", new()), Is.Empty);
        var finding = CpuSaturationRule.Evaluate(Vector(Series(3.9, Forum)), Vector(Series(4, Forum)), "q", new()).Single();
        Assert.That(finding.Severity, Is.EqualTo(Severity.Critical));
        Assert.That(finding.Recommendation, Does.Contain("of 4 cores"));
    }

    [Test]
    public void GcPressure_MuchTimeInGc_IsReported()
    {
        var findings = GcPressureRule.Evaluate(Vector(Series(0.3, Forum)), "pause", Vector(), "", new());

        Assert.That(findings.Single().Severity, Is.EqualTo(Severity.Critical));
        Assert.That(findings.Single().Unit, Is.EqualTo("ratio"));
        Assert.That(findings.Single().Evidence, Is.EqualTo("pause"));
    }

    [Test]
    public void GcPressure_FrequentGen2_Warns()
    {
        var finding = GcPressureRule.Evaluate(Vector(), "", Vector(Series(0.5, Forum)), "gen2", new()).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(finding.Unit, Is.EqualTo("collections/s"));
        Assert.That(finding.Recommendation, Does.Contain("30 full"));
    }

    [Test]
    public void GcPressure_Calm_FindsNothing()
    {
        Assert.That(GcPressureRule.Evaluate(Vector(Series(0.01, Forum)), "pause", Vector(Series(0.01, Forum)), "gen2", new()), Is.Empty);
    }
}
