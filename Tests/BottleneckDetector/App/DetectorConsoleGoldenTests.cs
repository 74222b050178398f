using Microsoft.Extensions.Time.Testing;
using PerfTools.BottleneckDetector;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Metrics;
using PerfTools.Tests.Reports;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>The detector's whole console text for one fixed run, compared with
/// <c>Tests/testdata/golden/bottleneck_console.txt</c>: findings of several rules as the rules word them for a Go
/// service Prometheus scrapes at one instance, and Jaeger unreachable; a fixed clock, fake analyzers.</summary>
public class DetectorConsoleGoldenTests
{
    private const double MiB = 1024 * 1024;

    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string, string)[] Forum = [("job", "forum"), ("instance", "10.0.0.7:8080")];

    private const string Exposition = """
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{handler="/slow",code="200",le="0.5"} 1
        http_request_duration_seconds_bucket{handler="/slow",code="200",le="+Inf"} 2
        http_request_duration_seconds_sum{handler="/slow",code="200"} 1.2
        http_request_duration_seconds_count{handler="/slow",code="200"} 2
        forum_db_queries_total{handler="/boards/{id}/posts"} 44
        go_goroutines 12
        go_memstats_heap_alloc_bytes 1.2e+08
        go_gc_duration_seconds_sum 0.4
        go_gc_duration_seconds_count 120
        process_resident_memory_bytes 2.1e+08
        process_cpu_seconds_total 310
        process_start_time_seconds 1.7640684e+09
        """;

    [Test]
    public async Task Render_FixedRunGoServiceJaegerDown_MatchesGoldenFile()
    {
        using var culture = new CultureScope("de-DE");
        string folder = Directory.CreateTempSubdirectory("bd-golden-").FullName;
        try
        {
            DiscoveredMetrics discovered = MetricDiscovery.Discover(PrometheusTextParser.Parse(Exposition));
            var facts = TargetFacts.Unknown with { Runtime = discovered.Runtime, BaseUrls = ["http://10.0.0.7:8080"], JaegerUrl = "http://127.0.0.1:16686/" };
            IReadOnlyList<string> lines = discovered.Describe();
            var metrics = new MetricsAnalysis(
                new SourceStatus("http://127.0.0.1:9090/", SourceState.Reachable, "2.53.0"),
                lines.Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]),
                lines,
                Findings(discovered, facts),
                [new RouteLatency("/boards/{id}/posts", 1187.5), new RouteLatency("/slow", 620)],
                [],
                null)
            {
                Metrics = discovered,
            };
            var settings = new DetectorSettings(
                new Uri("http://127.0.0.1:9090"), new Uri("http://127.0.0.1:16686"), folder, 500, At, TimeSpan.FromMinutes(5), "5m",
                null, 20, Severity.Critical, 10, null, null);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var command = new DetectCommand(
                settings, new FakeMetricsAnalyzer(metrics), new FakeTracesAnalyzer(FakeTracesAnalyzer.Unreachable("connection refused")),
                stdout, stderr, colour: false, Redactor.None, new FakeTimeProvider(At.AddSeconds(30)));

            int code = await command.ExecuteAsync(CancellationToken.None);

            string text = stdout.ToString();
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(ExitCodes.Failed), text + stderr);
                Assert.That(stderr.ToString(), Is.Empty);
                Assert.That(File.ReadAllText(Directory.GetFiles(folder, "bottleneck_report_*.txt").Single()), Is.EqualTo(text), "the .txt is the printed text");
            });
            // The report folder is a fresh temporary one: the golden file names it as the default does.
            GoldenFile.AssertMatches("bottleneck_console.txt", System.Text.Encoding.UTF8.GetBytes(text.Replace(folder, "reports", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Findings of five rules as the rules themselves make them from fixed query results.</summary>
    private static IReadOnlyList<Finding> Findings(DiscoveredMetrics discovered, TargetFacts facts)
    {
        var thresholds = new DetectorThresholds();
        LatencyMetric latency = discovered.Latency!;
        string p95 = SlowEndpointRule.P95Query(latency, "5m");
        // 61 points 5 s apart, 0.5 MiB more each: ~100 KiB/s in a process started an hour before the window
        var leaking = Enumerable.Range(0, 61).Select(i => (200 * MiB) + (i * 0.5 * MiB) + (i % 2 * 0.1 * MiB));
        return
        [
            .. SlowEndpointRule.EvaluateHistogram(By("handler", ("/boards/{id}/posts", 1.1875), ("/slow", 0.62)), [0.1, 0.5, 1, 2.5], latency, p95, thresholds, facts),
            .. ErrorRateRule.Evaluate(By("handler", ("/posts", 0.25)), By("handler", ("/posts", 2)), "handler", TimeSpan.FromMinutes(5),
                "sum by (handler) (rate(http_request_duration_seconds_count{code=~\"5..\"}[5m])) / sum by (handler) (rate(http_request_duration_seconds_count[5m]))",
                thresholds, facts),
            .. NPlusOneRule.Evaluate([("/boards/{id}/posts", 44, 2)], TimeSpan.FromMinutes(5),
                "sum by (handler) (rate(forum_db_queries_total[5m])) / sum by (handler) (rate(http_request_duration_seconds_count[5m]))", thresholds, facts),
            .. MemoryGrowthRule.Evaluate(Range(leaking, 5, Forum), "process_resident_memory_bytes", Vector(Series(1795000000 - 3600, Forum)), null, thresholds, facts),
            .. CpuSaturationRule.Evaluate(Vector(Series(0.97, Forum)), Vector(), "sum by (job, instance) (rate(process_cpu_seconds_total[5m]))", thresholds, facts),
        ];
    }
}
