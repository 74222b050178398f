using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;
using PerfTools.Tests.Reports;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary><c>--baseline</c>, <c>--alpha</c> and <c>--max-regression-pct</c> of the simulator end to end: the load
/// scenario against loopback servers answering after a fixed delay, compared through the histograms in
/// <c>simulation_load_*.json</c>; and the run's one HTML page.</summary>
[Category("Slow")]
public sealed class SimulatorBaselineTests
{
    private string _baselines = "";

    [SetUp]
    public void SetUp() => _baselines = Path.Combine(Path.GetTempPath(), $"sim-baselines-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_baselines))
        {
            Directory.Delete(_baselines, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_SlowerThanBaselineWithGate_SlowerSmallPExit1NamingTheScenario()
    {
        string baseline = await MeasureBaselineAsync(delayMs: 5);
        await using var slow = DelayingServer(40);

        using var run = await SimulatorRun.StartAsync(Args(slow, "--baseline", baseline, "--max-regression-pct", "10"));

        var row = ComparisonCsv.ReadFile(RunReport(run, "comparison_", ".csv")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(row.Label, Is.EqualTo("load"));
            Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(row.NBefore, Is.EqualTo(40));
            Assert.That(row.Test!.PValue, Is.LessThan(0.001));
            Assert.That(row.P50ChangePct, Is.GreaterThan(100));
            Assert.That(Regex.Matches(run.Stdout, "^regression: load: p50 .* ms \\(\\+.*%\\), slower \\(p .*\\), more than --max-regression-pct 10$",
                RegexOptions.Multiline), Has.Count.EqualTo(1), run.Stdout);
        });
    }

    [Test]
    public async Task RunAsync_SlowerButTheBaselineGeneratorFellBehind_InconclusiveAndTheGatePasses()
    {
        string baseline = await MeasureBaselineAsync(delayMs: 5);
        JObject json = JObject.Parse(File.ReadAllText(baseline));
        json["generator"] = new JObject
        {
            ["behind"] = true, ["items"] = 40, ["late_own"] = 12, ["late_own_share"] = 0.3, ["max_own_lag_ms"] = 30.0, ["round_based"] = false,
        };
        File.WriteAllText(baseline, json.ToString());
        await using var slow = DelayingServer(40);

        using var run = await SimulatorRun.StartAsync(Args(slow, "--baseline", baseline, "--max-regression-pct", "10"));

        var row = ComparisonCsv.ReadFile(RunReport(run, "comparison_", ".csv")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Inconclusive), "a run whose lag was the generator's must not read like a slower server");
            Assert.That(row.GeneratorBehind, Is.True);
            Assert.That(run.Stdout, Does.Contain("load: inconclusive (the load generator fell behind its schedule in this run or the baseline; corrected: slower)"));
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        });
    }

    [Test]
    public async Task RunAsync_FasterThanBaselineFolderWithGate_FasterExit0()
    {
        await MeasureBaselineAsync(delayMs: 40);
        await using var fast = DelayingServer(5);

        using var run = await SimulatorRun.StartAsync(Args(fast, "--baseline", _baselines, "--max-regression-pct", "10"));

        var row = ComparisonCsv.ReadFile(RunReport(run, "comparison_", ".csv")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Faster));
            Assert.That(row.P50ChangePct, Is.LessThan(-50));
            Assert.That(run.Stdout, Does.Contain("regression gate passed: no scenario significantly slower with its p50 up more than 10%"));
            Assert.That(run.Stdout, Does.Contain($"Comparison with baseline {_baselines} (simulation_load_"));
        });
    }

    [Test]
    public async Task Compare_ARunWithItsOwnJson_NoSignificantChange()
    {
        string baseline = await MeasureBaselineAsync(delayMs: 5);
        SimulationStats stats = SimulationJson.ReadFile(baseline);
        (string, IReadOnlyList<(double, long)>)[] samples = [("load", LatencyComparer.FromMicros(stats.LatencyHistogram))];

        var comparison = RunComparison.Compare(baseline, samples, samples, LatencyComparer.DefaultAlpha, "scenario");

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Rows.Single().Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(comparison.Rows.Single().Test!.PValue, Is.EqualTo(1.0));
            Assert.That(comparison.Gate(0, out bool failed), Has.Count.EqualTo(1));
            Assert.That(failed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_WithBaseline_PageAndComparisonShareOneTimestampAndHoldTheJsonFigures()
    {
        string baseline = await MeasureBaselineAsync(delayMs: 5);
        await using var server = DelayingServer(40);
        using var culture = new CultureScope("de-DE");

        using var run = await SimulatorRun.StartAsync(Args(server, "--baseline", baseline, "--alpha", "0.01"));

        string html = RunReport(run, "simulation_report_", ".html")!;
        string ts = Path.GetFileName(html)["simulation_report_".Length..^".html".Length];
        string page = File.ReadAllText(html);
        ComparisonReport json = ComparisonJson.ReadFile(RunReport(run, "comparison_", ".json")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(RunReport(run, "comparison_", ".csv"), Does.EndWith($"comparison_{ts}.csv"));
            Assert.That(RunReport(run, "comparison_", ".json"), Does.EndWith($"comparison_{ts}.json"));
            Assert.That(json.Comparisons.Select(c => (c.Label, c.Alpha, c.Verdict)), Is.EqualTo(new[] { ("load", 0.01, ComparisonVerdict.Slower) }));
            Assert.That(json.Baseline, Is.EqualTo(baseline));
            Assert.That(AnalyzerBaselineTests.Table(page, "scenarios"), Does.Contain(ExpectedScenarioCells(run.Report("load", "json")!)));
            Assert.That(AnalyzerBaselineTests.Table(page, "comparison"), Does.Contain("<td>slower</td>"));
            Assert.That(Regex.Matches(page, "data:image/png;base64,"), Has.Count.EqualTo(1), "the load scenario's chart");
        });
    }

    [Test]
    public async Task RunAsync_InterruptedWithBaseline_PageAndComparisonStillWrittenExit130()
    {
        string baseline = await MeasureBaselineAsync(delayMs: 5);
        await using var server = DelayingServer(5);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        using var run = await SimulatorRun.StartAsync(stop.Token,
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--rps", "40", "--duration", "30", "--baseline", baseline,
            "--max-regression-pct", "0");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Interrupted), run.ToString());
            Assert.That(ComparisonCsv.ReadFile(RunReport(run, "comparison_", ".csv")!).Single().Label, Is.EqualTo("load"));
            Assert.That(File.ReadAllText(RunReport(run, "simulation_report_", ".html")!),
                Does.Contain("interrupted: stopped sending").And.Contain("load: interrupted after"));
            Assert.That(run.Stdout, Does.Not.Contain("regression"), "an interrupted run is not gated");
        });
    }

    /// <summary>The cells of a scenarios-table row from requests to the raw max, as the JSON writes them.</summary>
    private static string ExpectedScenarioCells(string simulationJson)
    {
        // Decimals keep the written digits ("43.840"), as a double would not.
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(File.ReadAllText(simulationJson)))
        {
            FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Decimal,
        };
        JObject root = JObject.Load(reader);
        string Raw(string path) => root.SelectToken(path)!.ToString(Newtonsoft.Json.Formatting.None);
        string[] cells =
        [
            Raw("requests"), Raw("ok"), Raw("errors"), Raw("late"),
            Raw("latency_ms.p50"), Raw("latency_ms.p95"), Raw("latency_ms.p99"), Raw("latency_ms.max"),
            Raw("latency_uncorrected_ms.p50"), Raw("latency_uncorrected_ms.p95"), Raw("latency_uncorrected_ms.p99"), Raw("latency_uncorrected_ms.max"),
        ];
        return string.Concat(cells.Select(c => $"<td class=\"num\">{c}</td>")) + "</tr>";
    }

    private static string? RunReport(SimulatorRun run, string prefix, string extension) =>
        Directory.GetFiles(run.OutputFolder, prefix + "*" + extension).SingleOrDefault();

    /// <summary>Runs the load scenario against a server answering after <paramref name="delayMs"/> into the baselines folder.</summary>
    /// <returns>The scenario's JSON.</returns>
    private async Task<string> MeasureBaselineAsync(int delayMs)
    {
        await using var server = DelayingServer(delayMs);
        using var run = await SimulatorRun.StartAsync(Args(server, "--output", _baselines));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        return Directory.GetFiles(_baselines, "simulation_load_*.json").Single();
    }

    /// <summary>40 requests in one second: enough for the test to see a 5 ms against 40 ms difference at any load;
    /// after a 1 s warm-up, so the tool's own first-request JIT does not make its generator fall behind (which makes a
    /// comparison inconclusive).</summary>
    private static string[] Args(LoopbackServer server, params string[] more) =>
        ["--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--rps", "40", "--duration", "1", "--warmup", "1", .. more];

    private static LoopbackServer DelayingServer(int delayMs) => LoopbackServer.Start(async ctx =>
    {
        await Task.Delay(delayMs);
        await ctx.RespondAsync(200, "{}");
    });
}
