using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.BottleneckSimulator;
using PerfTools.Tests.Fakes;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Reports;

/// <summary>The pages the analyzer and the simulator write, from real runs with a baseline against loopback servers
/// (5 ms, then 40 ms), opened in headless Chromium from <c>file://</c> without JavaScript: nothing fetched but the file and
/// its <c>data:</c> images, nothing failed, the summary tables hold the numbers of the run's CSV or JSON, the comparison
/// says slower, and neither the screenshot nor the PDF is blank.</summary>
[Category("Slow")]
public sealed class HtmlChromiumAppTests
{
    private string _baselines = "";

    [SetUp]
    public void SetUp() => _baselines = Directory.CreateTempSubdirectory("perftools-html-app-baselines-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_baselines, recursive: true);

    [Test]
    public async Task AnalyzerPage_RunWithBaseline_RendersTheRunsNumbersOffline()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using (var fast = DelayingServer(5))
        {
            using var baseline = await AnalyzerRun.StartAsync(AnalyzerArgs(fast, "--output", _baselines));
            Assert.That(baseline.ExitCode, Is.EqualTo(ExitCodes.Ok), baseline.ToString());
        }

        await using var slow = DelayingServer(40);
        using var run = await AnalyzerRun.StartAsync(AnalyzerArgs(slow, "--baseline", _baselines));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!).Single();

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(run.Report("performance_report_", ".html")!, limit.Token);
        var table = await page.TableAsync("summary", limit.Token);
        var comparison = await page.TableAsync(ComparisonHtml.TableId, limit.Token);
        byte[] screenshot = await page.ScreenshotAsync(limit.Token);
        byte[] pdf = await page.PdfAsync(limit.Token);

        Assert.Multiple(() =>
        {
            AssertOffline(page, images: PerformanceChart.IsFontInstalled() ? 1 : 0);
            Assert.That(table, Is.EqualTo(new[]
            {
                PerformanceHtml.SummaryHeaders,
                [
                    "GET /x", "20", "0", Fixed3(summary.MinMicros), Fixed3(summary.MeanMicros), Fixed3(summary.P50Micros),
                    Fixed3(summary.P95Micros), Fixed3(summary.P99Micros), Fixed3(summary.MaxMicros),
                ],
            }));
            Assert.That(comparison, Has.Count.EqualTo(2), page.ToString());
            Assert.That(comparison![1][0], Is.EqualTo("GET /x"));
            Assert.That(comparison[1][^1], Is.EqualTo("slower"));
            PageAssert.NotBlank(screenshot);
            PageAssert.Pdf(pdf);
        });
    }

    [Test]
    public async Task SimulatorPage_RunWithBaseline_RendersTheRunsNumbersOffline()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using (var fast = DelayingServer(5))
        {
            using var baseline = await SimulatorRun.StartAsync(SimulatorArgs(fast, "--output", _baselines));
            Assert.That(baseline.ExitCode, Is.EqualTo(ExitCodes.Ok), baseline.ToString());
        }

        await using var slow = DelayingServer(40);
        using var run = await SimulatorRun.StartAsync(SimulatorArgs(slow, "--baseline", _baselines));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        var stats = SimulationJson.ReadFile(run.Report("load", "json")!);
        string html = Directory.GetFiles(run.OutputFolder, "simulation_report_*.html").Single();

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(html, limit.Token);
        var table = await page.TableAsync("scenarios", limit.Token);
        var comparison = await page.TableAsync(ComparisonHtml.TableId, limit.Token);
        byte[] screenshot = await page.ScreenshotAsync(limit.Token);
        byte[] pdf = await page.PdfAsync(limit.Token);

        Assert.Multiple(() =>
        {
            AssertOffline(page, images: 1);
            Assert.That(table, Has.Count.EqualTo(2), page.ToString());
            Assert.That(table![0], Is.EqualTo(SimulationHtml.ScenarioHeaders));
            Assert.That(table[1], Is.EqualTo(SimulationHtml.ScenarioRow(stats)), "the JSON's figures, as written");
            Assert.That(table[1][3], Is.EqualTo("40"), "requests");
            Assert.That(comparison![1][0], Is.EqualTo("load"));
            Assert.That(comparison[1][^1], Is.EqualTo("slower"));
            PageAssert.NotBlank(screenshot);
            PageAssert.Pdf(pdf);
        });
    }

    private static void AssertOffline(ChromiumPage page, int images)
    {
        PageAssert.OnlyItselfAndDataUris(page);
        Assert.That(page.Requests.Count(r => r.Url.StartsWith("data:image/png", StringComparison.Ordinal)), Is.EqualTo(images), page.ToString());
    }

    private static string Fixed3(double micros) => (micros / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] AnalyzerArgs(LoopbackServer server, params string[] more) =>
        AnalyzerRun.Quick(server.BaseUrl.ToString(), ["--endpoint", "/x", "--iterations", "20", .. more]);

    private static string[] SimulatorArgs(LoopbackServer server, params string[] more) =>
        // A 1 s warm-up: the tool's first-request JIT must not make its generator fall behind (an inconclusive verdict).
        ["--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--rps", "40", "--duration", "1", "--warmup", "1", .. more];

    private static LoopbackServer DelayingServer(int delayMs) => LoopbackServer.Start(async ctx =>
    {
        await Task.Delay(delayMs);
        await ctx.RespondAsync(200, "{}");
    });
}
