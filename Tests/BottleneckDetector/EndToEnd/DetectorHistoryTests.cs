using System.Globalization;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary>The detector against a real Prometheus holding a past incident made with promtool, analysed after the
/// fact with <c>--at</c>, in two naming conventions.</summary>
[TestFixture]
[Category("Slow")]
public class DetectorHistoryTests
{
    private static MetricHistory Incident(DateTimeOffset start) =>
        new MetricHistory(start, TimeSpan.FromMinutes(30)) { Memory = (80e6, 50_000) }
            .WithRoute("/slow", rps: 2, seconds: 0.8)
            .WithRoute("/boards/{id}/posts", rps: 5, seconds: 0.007, dbQueriesPerRequest: 22)
            .WithRoute("/boards", rps: 20, seconds: 0.004, errorShare: 0.03);

    [TestCase("prometheus-net")]
    [TestCase("opentelemetry")]
    public async Task RunAsync_PastIncidentAt_FindsSlowEndpointNPlusOneErrorsAndGrowth(string convention)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());
        var history = Incident(start);
        await using var prometheus = await PrometheusProcess.StartAsync(
            openMetricsHistory: convention == "opentelemetry" ? history.ToOpenTelemetry() : history.ToPrometheusNet());
        var folder = Directory.CreateTempSubdirectory("bd-history-").FullName;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            int code = await DetectorApp.RunAsync(
                [
                    "--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", $"http://127.0.0.1:{ClosedPort()}",
                    "--at", start.AddMinutes(25).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    "--window", "10m", "--output", folder, "--timeout", "5",
                ],
                stdout, stderr, CancellationToken.None);

            var summary = FindingsJson.ReadFile(Directory.GetFiles(folder, "bottleneck_findings_*.json").Single());
            var found = summary.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => (f.Rule, f.Target)).ToList();
            var output = $"{stdout}\n{stderr}";
            TestContext.Out.WriteLine(output);
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(0).Or.EqualTo(1), output);
                Assert.That(summary.Prometheus.Reachable, Is.True, output);
                Assert.That(found, Has.Some.Matches<(string Rule, string Target)>(f => f.Rule == "slow_endpoint" && f.Target.Contains("/slow")), output);
                Assert.That(found, Has.None.Matches<(string Rule, string Target)>(f => f.Rule == "slow_endpoint" && f.Target.EndsWith("/boards")), output);
                Assert.That(found, Has.Some.Matches<(string Rule, string Target)>(f => f.Rule == "error_rate" && f.Target.Contains("/boards")), output);
                Assert.That(found, Has.Some.Matches<(string Rule, string Target)>(f => f.Rule == "memory_growth"), output);
                if (convention == "prometheus-net")
                {
                    Assert.That(found, Has.Some.Matches<(string Rule, string Target)>(
                        f => f.Rule == "n_plus_one" && f.Target.Contains("/boards/{id}/posts")), output);
                }

                Assert.That(stdout.ToString(), Does.Contain(convention == "opentelemetry"
                    ? "latency: http_server_request_duration_seconds by http_route"
                    : "latency: http_request_duration_seconds by endpoint"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
