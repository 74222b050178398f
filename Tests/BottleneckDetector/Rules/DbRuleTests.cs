using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.BottleneckDetector.Rules;

public class DbRuleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [TestCase(22, 2, Severity.Warning)]
    [TestCase(120, 2, Severity.Critical)]
    public void NPlusOne_ManyQueriesPerRequest_IsReported(double qps, double rps, Severity expected)
    {
        var finding = NPlusOneRule.Evaluate([("/boards/{id}/posts", qps, rps)], Window, "q", new()).Single();

        Assert.That(finding.Rule, Is.EqualTo("n_plus_one"));
        Assert.That(finding.Severity, Is.EqualTo(expected));
        Assert.That(finding.Value, Is.EqualTo(qps / rps));
        Assert.That(finding.Unit, Is.EqualTo("queries/request"));
        Assert.That(finding.Recommendation, Does.Contain("one query"));
    }

    [Test]
    public void NPlusOne_FewQueriesPerRequestOrLittleTraffic_FindsNothing()
    {
        Assert.That(NPlusOneRule.Evaluate([("/boards", 4, 2), ("/rare", 3, 0.01)], Window, "q", new()), Is.Empty);
    }

    [Test]
    public void NPlusOne_TwelveRequestsInTheWindow_EnoughToJudge()
    {
        var perSecond = 12 / Window.TotalSeconds;

        var findings = NPlusOneRule.Evaluate([("/boards/{id}/posts", 22 * perSecond, perSecond)], Window, "q", new());

        Assert.That(findings.Single().Value, Is.EqualTo(22).Within(1e-9));
    }

    [Test]
    public void HighDbUsage_HighServiceRate_Warns()
    {
        var findings = HighDbUsageRule.Evaluate(350, "total", [("/boards/{id}/posts", 300, 10), ("/boards", 50, 25)], "per", Window, new());

        var finding = findings.Single();
        Assert.That(finding.Rule, Is.EqualTo("high_db_usage"));
        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(finding.Target, Is.EqualTo("service"));
        Assert.That(finding.Evidence, Is.EqualTo("total"));
        Assert.That(finding.Recommendation, Does.Contain("/boards/{id}/posts 300/s"));
    }

    [Test]
    public void HighDbUsage_SeveralQueriesPerRequestBelowNPlusOne_IsInfo()
    {
        var finding = HighDbUsageRule.Evaluate(30, "total", [("/boards", 12, 2)], "per", Window, new()).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Info));
        Assert.That(finding.Value, Is.EqualTo(6));
    }

    [Test]
    public void HighDbUsage_Moderate_FindsNothing()
    {
        Assert.That(HighDbUsageRule.Evaluate(20, "total", [("/boards", 4, 2)], "per", Window, new()), Is.Empty);
    }
}
