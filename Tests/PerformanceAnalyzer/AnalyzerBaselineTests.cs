using System.Text.RegularExpressions;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Tests.Http;
using PerfTools.Tests.Reports;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary><c>--baseline</c>, <c>--alpha</c> and <c>--max-regression-pct</c> end to end against loopback servers that
/// answer after a fixed delay (5 ms before, 40 ms after, or the other way round), and the HTML page of such runs.</summary>
[Category("Slow")]
public sealed class AnalyzerBaselineTests
{
    private const int Iterations = 20;
    private const string Label = "GET /x";

    private string _baselines = "";

    [SetUp]
    public void SetUp() => _baselines = Path.Combine(Path.GetTempPath(), $"pa-baselines-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_baselines))
        {
            Directory.Delete(_baselines, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_SlowerThanBaselineWithGate_SlowerSmallPExit1NamingTheEndpoint()
    {
        await MeasureBaselineAsync(delayMs: 5);
        await using var slow = DelayingServer(40);

        using var run = await AnalyzerRun.StartAsync(Args(slow, "--baseline", _baselines, "--max-regression-pct", "10"));

        var row = ComparisonCsv.ReadFile(run.Report("comparison_", ".csv")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(row.Label, Is.EqualTo(Label));
            Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Slower));
            Assert.That(row.Test!.PValue, Is.LessThan(0.001), "20 against 20 without overlap");
            Assert.That(row.Test.ProbabilityOfSuperiority, Is.GreaterThan(0.9));
            Assert.That(row.P50ChangePct, Is.GreaterThan(100));
            Assert.That(Regex.Matches(run.Stdout, "^regression: GET /x: p50 .* ms \\(\\+.*%\\), slower \\(p .*\\), more than --max-regression-pct 10$",
                RegexOptions.Multiline), Has.Count.EqualTo(1), run.Stdout);
            Assert.That(run.Stdout, Does.Contain("Comparison with baseline " + Path.Combine(_baselines, "performance_data_")));
        });
    }

    [Test]
    public async Task RunAsync_FasterThanBaselineWithGate_FasterExit0GatePassed()
    {
        await MeasureBaselineAsync(delayMs: 40);
        await using var fast = DelayingServer(5);

        using var run = await AnalyzerRun.StartAsync(Args(fast, "--baseline", _baselines, "--max-regression-pct", "10"));

        var row = ComparisonCsv.ReadFile(run.Report("comparison_", ".csv")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Faster));
            Assert.That(row.Test!.PValue, Is.LessThan(0.001));
            Assert.That(row.P50ChangePct, Is.LessThan(-50));
            Assert.That(run.Stdout, Does.Contain("regression gate passed: no endpoint significantly slower with its p50 up more than 10%"));
            Assert.That(run.Stdout, Does.Not.Contain("regression: "));
        });
    }

    [Test]
    public async Task Compare_ARunWithItsOwnDataFile_NoSignificantChangeGatePasses()
    {
        // A run cannot measure its own baseline, so its data file is compared with itself through the path the run takes.
        string data = await MeasureBaselineAsync(delayMs: 5);
        var samples = PerformanceDataJson.ReadFile(data)
            .Select(kv => (kv.Key, (IReadOnlyList<(double, long)>)kv.Value.Select(ms => (ms, 1L)).ToList()))
            .ToList();

        var comparison = RunComparison.Compare(data, samples, samples, LatencyComparer.DefaultAlpha, "endpoint");

        IReadOnlyList<string> gate = comparison.Gate(0, out bool failed);
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Rows.Single().Verdict, Is.EqualTo(ComparisonVerdict.NoSignificantChange));
            Assert.That(comparison.Rows.Single().Test!.PValue, Is.EqualTo(1.0));
            Assert.That(comparison.Rows.Single().P50ChangePct, Is.Zero);
            Assert.That(failed, Is.False, "even a 0% limit passes when nothing is slower");
            Assert.That(gate, Has.Count.EqualTo(1).And.All.StartWith("regression gate passed"));
        });
    }

    [Test]
    public async Task RunAsync_WithBaseline_ComparisonFilesCarryTheRunsTimestampAndReadBack()
    {
        await MeasureBaselineAsync(delayMs: 5);
        await using var server = DelayingServer(5);
        using var culture = new CultureScope("de-DE");

        using var run = await AnalyzerRun.StartAsync(Args(server, "--baseline", _baselines, "--alpha", "0.01"));

        string ts = Timestamp(run.Report("performance_summary_")!, "performance_summary_", ".csv");
        string csv = run.Report("comparison_", ".csv")!;
        string json = run.Report("comparison_", ".json")!;
        var rows = ComparisonCsv.ReadFile(csv);
        ComparisonReport report = ComparisonJson.ReadFile(json);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(Timestamp(csv, "comparison_", ".csv"), Is.EqualTo(ts));
            Assert.That(Timestamp(json, "comparison_", ".json"), Is.EqualTo(ts));
            Assert.That(rows.Select(r => (r.Label, r.NBefore, r.NAfter, r.Alpha)), Is.EqualTo(new[] { (Label, 20L, 20L, 0.01) }));
            Assert.That(report.Comparisons.Select(r => r.Label), Is.EqualTo(new[] { Label }));
            Assert.That(report.Comparisons[0].P50AfterMs, Is.EqualTo(rows[0].P50AfterMs).Within(0.0005));
            Assert.That(report.Baseline, Does.StartWith(Path.Combine(_baselines, "performance_data_")));
            // A decimal comma would make the writer quote the field ("12,345"); a plain field separator between two numbers
            // (-11.714,103.349) is not one (regression: the old pattern \d,\d{3}\b matched it when a value reached 100).
            Assert.That(File.ReadAllText(csv), Does.Not.Match(@"""-?\d+,\d+"""), "invariant numbers under de-DE");
        });
    }

    [Test]
    public async Task RunAsync_LabelsOnOneSide_ListedAsNewAndOnlyInBaselineWithoutATest()
    {
        Directory.CreateDirectory(_baselines);
        string baseline = Path.Combine(_baselines, "performance_data_20261125_120000.json");
        File.WriteAllText(baseline, """{"GET /gone": [1.5, 2.5, 3.5]}""");
        await using var server = DelayingServer(1);

        using var run = await AnalyzerRun.StartAsync(Args(server, "--baseline", baseline, "--max-regression-pct", "0"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain("new (not in the baseline, not tested): GET /x"));
            Assert.That(run.Stdout, Does.Contain("only in baseline (not measured in this run): GET /gone"));
            Assert.That(ComparisonCsv.ReadFile(run.Report("comparison_", ".csv")!), Is.Empty);
            Assert.That(File.ReadAllText(run.Report("performance_report_", ".html")!),
                Does.Contain("only in baseline (not measured in this run): GET /gone"));
        });
    }

    [Test]
    public async Task RunAsync_WithBaseline_HtmlHoldsTheSummaryCsvFiguresAndTheComparison()
    {
        await MeasureBaselineAsync(delayMs: 5);
        await using var slow = DelayingServer(40);
        using var culture = new CultureScope("de-DE");

        using var run = await AnalyzerRun.StartAsync(Args(slow, "--baseline", _baselines));

        string html = File.ReadAllText(run.Report("performance_report_", ".html")!);
        string ts = Timestamp(run.Report("performance_summary_")!, "performance_summary_", ".csv");
        string summary = Table(html, "summary");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), "no gate given: slower alone does not fail the run");
            Assert.That(Path.GetFileName(run.Report("performance_report_", ".html")), Is.EqualTo($"performance_report_{ts}.html"));
            Assert.That(summary, Does.Contain(ExpectedSummaryRow(run.Report("performance_summary_")!)), "the CSV's own text, cell by cell");
            Assert.That(Table(html, "comparison"), Does.Contain("<td>slower</td>"));
            Assert.That(html, Does.Contain("data:image/png;base64,").Or.Contain("chart not drawn"));
            Assert.That(html, Does.Contain("Jaeger at http://127.0.0.1:").And.Contain("unreachable (connection refused)"),
                "the trace section says what the console said");
            Assert.That(html, Does.Not.Contain("<script"));
        });
    }

    /// <summary>The summary CSV's row for <see cref="Label"/> as the HTML table must render it: the same text in the
    /// columns the page shows (endpoint, count, errors, min, mean, p50, p95, p99, max).</summary>
    internal static string ExpectedSummaryRow(string summaryCsv)
    {
        string[] header = File.ReadAllLines(summaryCsv)[0].Split(',');
        string[] cells = File.ReadAllLines(summaryCsv)[1].Split(',');
        string Cell(string column) => cells[Array.IndexOf(header, column)];
        string[] numbers = [Cell("count"), Cell("errors"), Cell("min_ms"), Cell("mean_ms"), Cell("p50_ms"), Cell("p95_ms"), Cell("p99_ms"), Cell("max_ms")];
        return $"<tr><td>{Cell("endpoint")}</td>" + string.Concat(numbers.Select(n => $"<td class=\"num\">{n}</td>")) + "</tr>";
    }

    /// <summary>The markup of the table with <paramref name="id"/>, or "" when there is none.</summary>
    internal static string Table(string html, string id)
    {
        int start = html.IndexOf($"<table id=\"{id}\">", StringComparison.Ordinal);
        return start < 0 ? "" : html[start..(html.IndexOf("</table>", start, StringComparison.Ordinal) + "</table>".Length)];
    }

    private static string Timestamp(string path, string prefix, string extension) =>
        Path.GetFileName(path)[prefix.Length..^extension.Length];

    /// <summary>Measures a server answering after <paramref name="delayMs"/> into the baselines folder.</summary>
    /// <returns>The data file written.</returns>
    private async Task<string> MeasureBaselineAsync(int delayMs)
    {
        await using var server = DelayingServer(delayMs);
        using var run = await AnalyzerRun.StartAsync(Args(server, "--output", _baselines));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        return Directory.GetFiles(_baselines, "performance_data_*.json").Single();
    }

    private static string[] Args(LoopbackServer server, params string[] more) =>
        AnalyzerRun.Quick(server.BaseUrl.ToString(), ["--endpoint", "/x", "--iterations", Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), .. more]);

    private static LoopbackServer DelayingServer(int delayMs) => LoopbackServer.Start(async ctx =>
    {
        await Task.Delay(delayMs);
        await ctx.RespondAsync(200, "{}");
    });
}
