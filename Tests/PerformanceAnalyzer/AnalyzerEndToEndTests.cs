using System.Text.RegularExpressions;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Fakes;
using PerfTools.Tests.Reports;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary><c>--test-all</c> against the real sample Forum API, run under a decimal-comma culture (STYLE habit 7).</summary>
[Category("Slow")]
public class AnalyzerEndToEndTests
{
    private static readonly string[] Labels =
    [
        "GET /health", "GET /boards", "POST /boards", "GET /boards/{id}", "GET /boards/{id}/posts",
        "POST /posts", "GET /posts/{id}", "GET /posts/{id}/comments", "GET /slow",
    ];

    [Test]
    public async Task RunAsync_TestAllAgainstForumApi_AllStepsMeasuredAndEveryReportWritten()
    {
        await using var api = await ForumApiProcess.StartAsync();
        using var culture = new CultureScope("de-DE");
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(api.BaseUrl.ToString(), "--test-all"));

        string? summaryPath = run.Report("performance_summary_");
        string? requestsPath = run.Report("performance_requests_");
        string? dataPath = run.Report("performance_data_");
        string? chartPath = run.Report("performance_report_", ".png");
        string? htmlPath = run.Report("performance_report_", ".html");
        Assert.That(new[] { summaryPath, requestsPath, dataPath, htmlPath }, Has.None.Null, run.ToString());

        var summary = SummaryCsv.ReadFile(summaryPath!);
        var requests = RequestsCsv.ReadFile(requestsPath!);
        var data = PerformanceDataJson.ReadFile(dataPath!);
        var expectedCounts = Labels.Select(_ => 3L).ToArray(); // /slow too: fewer than its cap of 8
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(summary.Select(s => s.Label), Is.EqualTo(Labels));
            Assert.That(summary.Select(s => s.Count), Is.EqualTo(expectedCounts));
            Assert.That(summary.Select(s => s.Errors), Has.All.Zero);
            Assert.That(requests, Has.Count.EqualTo(27)); // 9 steps × 3 iterations
            Assert.That(data.Keys, Is.EqualTo(Labels), "the original JSON shape: {label: [ms, …]}");
            Assert.That(data.Values.Select(v => (long)v.Count), Is.EqualTo(expectedCounts));
            Assert.That(data["GET /slow"], Has.All.GreaterThan(400.0));
            foreach (string label in Labels)
            {
                Assert.That(run.Stdout, Does.Contain(label));
            }

            Assert.That(Regex.IsMatch(run.Stdout, @"\d,\d\d"), Is.False, "numbers must not take the de-DE decimal comma");
            Assert.That(Regex.Matches(run.Stdout, "Jaeger at .* unreachable \\(connection refused\\): slow requests not explained"),
                Has.Count.EqualTo(1));
            Assert.That(run.Stdout, Does.Not.Contain("skipped"));
        });

        if (PerformanceChart.IsFontInstalled())
        {
            Assert.That(new FileInfo(chartPath!).Length, Is.GreaterThan(0));
        }
        else
        {
            Assert.That(run.Stdout, Does.Contain("chart not drawn"));
        }
    }
}
