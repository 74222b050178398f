using PerfTools.BottleneckDetector;
using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary>The whole loop, live: the sample Forum API under simulate_bottleneck, scraped every second by a real
/// Prometheus, then the detector. With the bottlenecks on it names them; with <c>--fixed</c> it finds nothing serious.</summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class DetectorLiveTests
{
    [Test]
    public async Task RunAsync_ForumApiUnderSimulatedLoad_ReportsSlowNPlusOneAndMemory()
    {
        var summary = await LoadAndDetectAsync(fixedMode: false);
        var rules = summary.Findings.Select(f => (f.Rule, f.Target, f.Severity)).ToList();
        var text = string.Join("\n", rules);

        Assert.Multiple(() =>
        {
            Assert.That(rules, Has.Some.Matches<(string Rule, string Target, Severity Severity)>(
                f => f.Rule == "slow_endpoint" && f.Target.Contains("/slow") && f.Severity >= Severity.Warning), text);
            Assert.That(rules, Has.Some.Matches<(string Rule, string Target, Severity Severity)>(
                f => f.Rule == "n_plus_one" && f.Target.Contains("/boards/{id}/posts") && f.Severity >= Severity.Warning), text);
            // A process minutes old is warming up, so its growth is reported, but at info level (see MemoryGrowthRule).
            Assert.That(rules, Has.Some.Matches<(string Rule, string Target, Severity Severity)>(f => f.Rule == "memory_growth"), text);
        });
    }

    [Test]
    public async Task RunAsync_FixedForumApiUnderTheSameLoad_NoWarningOrCritical()
    {
        var summary = await LoadAndDetectAsync(fixedMode: true);

        var serious = summary.Findings.Where(f => f.Severity >= Severity.Warning).ToList();
        Assert.That(summary.Prometheus.Reachable, Is.True);
        Assert.That(serious, Is.Empty, string.Join("\n", serious));
    }

    private static async Task<DetectionSummary> LoadAndDetectAsync(bool fixedMode)
    {
        await using var api = await ForumApiProcess.StartAsync(fixedMode, seed: 2);
        await using var prometheus = await PrometheusProcess.StartAsync([api.BaseUrl.Authority]);
        var folder = Directory.CreateTempSubdirectory("bd-live-").FullName;
        try
        {
            // The three problem scenarios at once, 20 s each: slow, n_plus_1 and memory. The window below sees only the
            // load, so every route clears the rules' traffic minimum (1 request/s).
            var loads = new[] { "slow", "n_plus_1", "memory" }.Select(scenario => SimulatorApp.RunAsync(
                ["--base-url", api.BaseUrl.ToString(), "--scenario", scenario, "--duration", "20", "--warmup", "0", "--output", folder],
                TextWriter.Null, TextWriter.Null, CancellationToken.None));
            int[] codes = await Task.WhenAll(loads);
            Assert.That(codes, Is.All.EqualTo(0), "every scenario ran");
            await Task.Delay(TimeSpan.FromSeconds(2)); // the last scrapes

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = await DetectorApp.RunAsync(
                [
                    "--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", "http://127.0.0.1:1",
                    "--window", "15s", "--output", folder, "--timeout", "5", "--fail-on", "none",
                ],
                stdout, stderr, CancellationToken.None);
            TestContext.Out.WriteLine(stdout.ToString());
            TestContext.Out.WriteLine(stderr.ToString());
            Assert.That(code, Is.Zero, stderr.ToString());
            return FindingsJson.ReadFile(Directory.GetFiles(folder, "bottleneck_findings_*.json").Single());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
