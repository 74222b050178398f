using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

public class SlowEndpointRuleTests
{
    private static readonly LatencyMetric PrometheusNet = new("http_request_duration_seconds", LatencyKind.Histogram, "seconds", 1, "endpoint", "method", "code", false);
    private static readonly double[] Edges = [0.064, 0.128, 0.256, 0.512, 1.024];
    private static readonly DetectorThresholds Defaults = new();

    [Test]
    public void EvaluateHistogram_AboveThreshold_WarnsWithBucketBounds()
    {
        var p95 = By("endpoint", ("/boards/{id}/posts", 0.72), ("/health", 0.003));

        var findings = SlowEndpointRule.EvaluateHistogram(p95, Edges, PrometheusNet, "q", Defaults);

        var finding = findings.Single();
        Assert.That(finding.Rule, Is.EqualTo("slow_endpoint"));
        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(finding.Target, Is.EqualTo("/boards/{id}/posts"));
        Assert.That(finding.Value, Is.EqualTo(720).Within(1e-9));
        Assert.That(finding.Unit, Is.EqualTo("ms"));
        Assert.That(finding.Threshold, Is.EqualTo(500));
        Assert.That(finding.Evidence, Is.EqualTo("q"));
        Assert.That(finding.Recommendation, Does.Contain("bucket-bounded").And.Contain("512–1024 ms"));
    }

    [Test]
    public void EvaluateHistogram_BelowThresholdOrNoTraffic_FindsNothing()
    {
        var p95 = By("endpoint", ("/boards", 0.499), ("/idle", double.NaN));

        Assert.That(SlowEndpointRule.EvaluateHistogram(p95, Edges, PrometheusNet, "q", Defaults), Is.Empty);
    }

    [Test]
    public void EvaluateHistogram_TwiceTheThreshold_IsCritical()
    {
        var p95 = By("endpoint", ("/report", 1.0));

        Assert.That(SlowEndpointRule.EvaluateHistogram(p95, Edges, PrometheusNet, "q", Defaults).Single().Severity, Is.EqualTo(Severity.Critical));
    }

    [Test]
    public void EvaluateHistogram_MillisecondUnit_IsConverted()
    {
        var ms = PrometheusNet with { Name = "http_request_duration_ms", Unit = "milliseconds", SecondsPerUnit = 0.001 };

        var finding = SlowEndpointRule.EvaluateHistogram(By("endpoint", ("/a", 600)), [500, 1000], ms, "q", Defaults).Single();

        Assert.That(finding.Value, Is.EqualTo(600).Within(1e-9));
        Assert.That(finding.Recommendation, Does.Contain("500–1000 ms"));
    }

    [Test]
    public void EvaluateHistogram_InfinityAboveLastEdge_ReportsTheEdgeAndSaysSo()
    {
        var finding = SlowEndpointRule.EvaluateHistogram(By("endpoint", ("/a", double.PositiveInfinity)), Edges, PrometheusNet, "q", Defaults).Single();

        Assert.That(finding.Value, Is.EqualTo(1024).Within(1e-9));
        Assert.That(finding.Severity, Is.EqualTo(Severity.Critical));
        Assert.That(finding.Recommendation, Does.Contain("above the last finite bucket edge"));
    }

    [Test]
    public void P95Query_UsesRouteLabelAndWindow()
    {
        Assert.That(SlowEndpointRule.P95Query(PrometheusNet, "5m"),
            Is.EqualTo("histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))"));
    }

    [Test]
    public void P95Query_WithScope_SelectsTheService()
    {
        Assert.That(SlowEndpointRule.P95Query(PrometheusNet, "1m", "job=\"forum\""),
            Is.EqualTo("histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket{job=\"forum\"}[1m])))"));
    }

    [Test]
    public void EvaluateMean_NoBuckets_JudgesTheMeanAndSaysSo()
    {
        var micrometer = new LatencyMetric("http_server_requests_seconds", LatencyKind.MeanOnly, "seconds", 1, "uri", "method", "status", true);
        var mean = By("uri", ("/owners", 0.8), ("/vets", 0.05), ("/pets", 0.1));
        var max = By("uri", ("/owners", 2.0), ("/vets", 0.09), ("/pets", 3.0));

        var findings = SlowEndpointRule.EvaluateMean(mean, max, micrometer, "mean", "max", Defaults);

        Assert.That(findings, Has.Count.EqualTo(2));
        Assert.That(findings[0].Severity, Is.EqualTo(Severity.Warning));
        Assert.That(findings[0].Target, Is.EqualTo("/owners"));
        Assert.That(findings[0].Recommendation, Does.Contain("mean").And.Contain("not a percentile").And.Contain("max 2000 ms"));
        Assert.That(findings[0].Evidence, Is.EqualTo("mean ; max"));
        Assert.That(findings[1].Severity, Is.EqualTo(Severity.Info), "only the max is slow: info");
        Assert.That(findings[1].Target, Is.EqualTo("/pets"));
    }
}
