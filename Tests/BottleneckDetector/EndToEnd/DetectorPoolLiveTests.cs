using System.Diagnostics;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary>Bottleneck 5 live: the sample API on a real PostgreSQL, scraped every second by a real Prometheus, 20
/// concurrent GET /slow from plain HttpClient loops; the detector names the pool from Npgsql's own metrics. With
/// <c>--fixed</c> (the connection taken only around the query) under the same load, it does not.</summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class DetectorPoolLiveTests
{
    private const int Clients = 20;
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(15);

    private PostgresServer _server = null!;

    [OneTimeSetUp]
    public async Task StartDatabaseAsync() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopDatabaseAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task RunAsync_TwentyConcurrentSlowHoldingThePool_FindsConnectionPool()
    {
        var summary = await LoadAndDetectAsync(fixedMode: false);

        var pool = summary.Findings.Where(f => f.Rule == "connection_pool").ToList();
        string all = string.Join("\n", summary.Findings.Select(f => $"{f.Severity} {f.Target}: {f.Rule} {f.Value} {f.Unit}; {f.Evidence}"));
        Assert.That(pool, Has.Count.EqualTo(1), all);
        Assert.Multiple(() =>
        {
            Assert.That(pool[0].Target, Is.EqualTo("connection pool forum"));
            Assert.That(pool[0].Severity, Is.GreaterThanOrEqualTo(Severity.Warning));
            Assert.That(pool[0].Evidence, Does.Contain("npgsql_db_client_connection_npgsql_pending_requests"));
            Assert.That(pool[0].Recommendation, Does.Contain("Maximum Pool Size"));
        });
    }

    [Test]
    public async Task RunAsync_FixedUnderTheSameLoad_NoConnectionPoolFinding()
    {
        var summary = await LoadAndDetectAsync(fixedMode: true);

        Assert.That(summary.Prometheus.Reachable, Is.True);
        Assert.That(summary.Findings.Where(f => f.Rule == "connection_pool"), Is.Empty,
            string.Join("\n", summary.Findings.Select(f => $"{f.Severity} {f.Target}: {f.Rule} {f.Value} {f.Unit}; {f.Evidence}")));
    }

    private async Task<DetectionSummary> LoadAndDetectAsync(bool fixedMode)
    {
        await using var api = await ForumApiProcess.StartAsync(fixedMode, seed: 0, "--db", _server.Url);
        await using var prometheus = await PrometheusProcess.StartAsync([api.BaseUrl.Authority]);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few scrapes before the load
        using (var http = new HttpClient { BaseAddress = api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) })
        {
            var clock = Stopwatch.StartNew();
            int answered = 0;
            var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < Load)
                {
                    using var response = await http.GetAsync("slow");
                    Interlocked.Increment(ref answered);
                }
            }));
            await Task.WhenAll(clients);
            await TestContext.Out.WriteLineAsync($"fixed={fixedMode}: {answered} /slow answered in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // the last scrapes
        string folder = Directory.CreateTempSubdirectory("bd-pool-live-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string closed = $"http://127.0.0.1:{PerformanceAnalyzer.AnalyzerRun.ClosedPort()}/";
            int code = await DetectorApp.RunAsync(
                ["--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", closed, "--window", "15s", "--output", folder, "--timeout", "5", "--fail-on", "none"],
                stdout, stderr, CancellationToken.None);
            await TestContext.Out.WriteLineAsync(stdout.ToString());
            await TestContext.Out.WriteLineAsync(stderr.ToString());
            Assert.That(code, Is.Zero, stderr.ToString());
            return FindingsJson.ReadFile(Directory.GetFiles(folder, "bottleneck_findings_*.json").Single());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
