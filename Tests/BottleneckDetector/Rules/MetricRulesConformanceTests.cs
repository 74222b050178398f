using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>The rules' Evaluate steps over real Prometheus 2.42 answers in ../shared/fixtures/prometheus/api.</summary>
public class MetricRulesConformanceTests
{
    private static async Task<PrometheusQueryResult> Load(string file)
    {
        var dir = Fakes.RepositoryRoot.RequireSharedFixtures("prometheus", "conformance tests");

        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", await File.ReadAllTextAsync(Path.Combine(dir!, "api", file)));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));
        return (await client.QueryAsync("recorded")).Data;
    }

    [Test]
    public async Task SlowEndpoint_ExpressP95_IsReportedWithItsWideBucket()
    {
        // the true latency of /api/slow is about 0.30 s; express's buckets (0.3, 1.5] make histogram_quantile say 1.44 s
        var p95 = await Load("query_vector_p95_by_path_express.json");
        var express = new LatencyMetric("http_request_duration_seconds", LatencyKind.Histogram, "seconds", 1, "path", "method", "status_code", false);

        var finding = SlowEndpointRule.EvaluateHistogram(p95, [0.003, 0.03, 0.1, 0.3, 1.5, 10], express, "q", new()).Single();

        Assert.That(finding.Target, Is.EqualTo("/api/slow"));
        Assert.That(finding.Value, Is.EqualTo(1440).Within(1e-6));
        Assert.That(finding.Recommendation, Does.Contain("bucket-bounded").And.Contain("300–1500 ms"));
    }

    [Test]
    public async Task SlowEndpoint_OtelP95BelowDefault_IsReportedOnlyWithALowerThreshold()
    {
        var p95 = await Load("query_vector_p95_by_route_otel.json");
        var otel = new LatencyMetric("http_server_request_duration_seconds", LatencyKind.Histogram, "seconds", 1, "http_route", null, null, false);
        double[] edges = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

        Assert.That(SlowEndpointRule.EvaluateHistogram(p95, edges, otel, "q", new()), Is.Empty, "0.4875 s is under 500 ms");
        var finding = SlowEndpointRule.EvaluateHistogram(p95, edges, otel, "q", new() { SlowEndpointMs = 300 }).Single();
        Assert.That(finding.Target, Is.EqualTo("/api/orders/slow"));
        Assert.That(finding.Recommendation, Does.Contain("250–500 ms"));
    }

    [Test]
    public async Task MemoryGrowth_ThreeAppsInTheirFirstMinutesUnderLoad_AreNotWarnings()
    {
        var memory = await Load("query_range_matrix_memory_all_frameworks.json");

        var findings = MemoryGrowthRule.Evaluate(memory, "q", PrometheusQueryResult.EmptyVector, null, new());

        Assert.That(findings.Where(f => f.Severity >= Severity.Warning), Is.Empty);
    }

    [Test]
    public async Task ErrorRate_OtelFailRoute_IsCritical()
    {
        // the recorded ratio is 1 (every request to /api/orders/fail failed), so as errors/s it pairs with 1 request/s
        var errors = await Load("query_vector_error_ratio_by_route_otel.json");
        var total = new PrometheusQueryResult(PrometheusResultType.Vector,
            [new PrometheusSeries(new Dictionary<string, string> { ["http_route"] = "/api/orders/fail" }, [new PrometheusSample(0, 1)])]);

        var finding = ErrorRateRule.Evaluate(errors, total, "http_route", TimeSpan.FromMinutes(1), "q", new()).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Critical));
        Assert.That(finding.Value, Is.EqualTo(1));
        Assert.That(finding.Target, Is.EqualTo("/api/orders/fail"));
    }
}
