using System.Globalization;
using System.Text.RegularExpressions;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.BottleneckDetector.App;
using PerfTools.Tests.Fakes;
using SkiaSharp;

namespace PerfTools.Tests.Reports;

/// <summary>The HTML reports in a real headless Chromium, opened from <c>file://</c> with JavaScript disabled: nothing
/// fetched but the file and its <c>data:</c> images, nothing failed, the tables hold the run's numbers, the page is
/// not blank on screen and prints to a real PDF.</summary>
[Category("Slow")]
public class HtmlChromiumTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("perftools-html-chromium-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task OpenFile_PlainReportWithTableAndImage_RendersOfflineWithoutScripts()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string path = Path.Combine(_folder, "plain.html");
        new HtmlReport("Plain <report>")
            .AddHeading("Numbers")
            .AddTable(["endpoint", "p50 ms", "change"], [["GET /boards", "12.345", "-3.1%"], ["GET /slow <x>", "512.000", "+0.5%"]],
                caption: "latency", id: "numbers")
            .AddHeading("Chart")
            .AddImage(Bars(), "three bars")
            .AddVerdict("faster", "good")
            .WriteFile(path);

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(path, limit.Token);
        var rows = await page.TableAsync("numbers", limit.Token);
        var screenshot = ImageStats.Of(await page.ScreenshotAsync(limit.Token));
        byte[] pdf = await page.PdfAsync(limit.Token);
        string text = await page.BodyTextAsync(limit.Token);

        Assert.Multiple(() =>
        {
            PageAssert.OnlyItselfAndDataUris(page);
            Assert.That(page.Requests.Count(r => r.Url.StartsWith("data:image/png", StringComparison.Ordinal)), Is.EqualTo(1), page.ToString());
            Assert.That(rows, Is.EqualTo(new[]
            {
                new[] { "endpoint", "p50 ms", "change" },
                new[] { "GET /boards", "12.345", "-3.1%" },
                new[] { "GET /slow <x>", "512.000", "+0.5%" },
            }));
            Assert.That(text, Does.Contain("Plain <report>").And.Contain("faster"));
            Assert.That(screenshot.Width, Is.EqualTo(ChromiumPage.ViewportWidth), "a short page: no scroll bar");
            Assert.That(screenshot.IsNotBlank(), Is.True, screenshot.ToString());
            Assert.That(PageAssert.Pdf(pdf), Is.EqualTo(1), "one printed page");
        });
    }

    /// <summary>The harness itself: the checks above would pass vacuously if scripts ran anyway or failures went unseen.</summary>
    [Test]
    public async Task OpenFile_PageWithScriptAndMissingImage_ScriptNeverRunsFailureSeen()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string path = Path.Combine(_folder, "scripted.html");
        await File.WriteAllTextAsync(path, """
            <!DOCTYPE html><html><body>
            <p id="state">static</p>
            <img id="missing" src="missing.png" alt="not there">
            <script>document.getElementById('state').textContent = 'script ran';</script>
            </body></html>
            """, limit.Token);

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(path, limit.Token);

        string? state = await page.TextAsync("state", limit.Token);
        string? absent = await page.TextAsync("absent", limit.Token);

        Assert.Multiple(() =>
        {
            Assert.That(state, Is.EqualTo("static"), "the page's own script must not run");
            Assert.That(absent, Is.Null);
            Assert.That(page.FailedRequests.Select(r => r.Url), Is.EqualTo(new[] { new Uri(Path.Combine(_folder, "missing.png")).AbsoluteUri }),
                page.ToString());
            Assert.That(page.FailedRequests[0].Failure, Does.Contain("ERR_FILE_NOT_FOUND"), page.ToString());
            Assert.That(chrome.Version, Does.StartWith("Chrome/").Or.StartWith("HeadlessChrome/"));
        });
    }

    [Test]
    public async Task OpenFile_DetectorReportWithBaseline_TablesHoldTheRunsFindingsAndComparison()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Finding slow = new("slow_endpoint", Severity.Critical, "GET /slow", 1200.5, "ms", 500,
            "histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))", "Profile GET /slow.");
        Finding nPlusOne = new("n_plus_one", Severity.Warning, "GET /boards/{id}/posts", 22, "queries/request", 10,
            "trace 4bf92f3577b34da6a3ce929d0e0e4736: 21 × SELECT … FROM posts WHERE id = ?", "Batch the per-post query into one JOIN.");
        Finding errors = new("error_rate", Severity.Warning, "POST /posts <new>", 0.0625, "ratio", 0.05, "sum(rate(…{code=~\"5..\"}[5m]))", "Look at the 5xx.");
        using var before = await DetectorRun.StartAsync(Metrics(slow), Traces(nPlusOne));
        using var run = await DetectorRun.StartAsync(Metrics(slow with { Severity = Severity.Warning, Value = 640.25 }, errors), Traces(),
            "--baseline", before.OutputFolder);
        string html = run.Report("bottleneck_report_", ".html") ?? throw new AssertionException(run.ToString());
        DetectionSummary summary = FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json")!);
        FindingChanges comparison = FindingChangesJson.ReadFile(run.Report("bottleneck_comparison_", ".json")!);

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(html, limit.Token);
        var findings = await page.TableAsync("findings", limit.Token) ?? throw new AssertionException($"no findings table: {page}");
        var changes = await page.TableAsync("comparison", limit.Token) ?? throw new AssertionException($"no comparison table: {page}");
        var sources = await page.TableAsync("sources", limit.Token) ?? throw new AssertionException($"no sources table: {page}");
        byte[] screenshot = await page.ScreenshotAsync(limit.Token);
        byte[] pdf = await page.PdfAsync(limit.Token);
        string text = await page.BodyTextAsync(limit.Token);

        Assert.Multiple(() =>
        {
            PageAssert.OnlyItselfAndDataUris(page);
            Assert.That(findings[0], Is.EqualTo(new[] { "rule", "severity", "target", "value", "unit", "threshold", "evidence", "recommendation" }));
            Assert.That(findings.Skip(1).Select(Finding), Is.EquivalentTo(summary.Findings.Select(Normalised)), "the findings, values as in the JSON");
            Assert.That(changes.Skip(1).Select(r => (r[0], r[1], r[2], r[5], r[6])), Is.EqualTo(comparison.Changes.Select(c =>
                (Status(c.Status), c.Rule, c.Target, Number(c.ValueBefore), Number(c.ValueAfter)))));
            Assert.That(changes.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { "new", "remaining", "gone" }));
            Assert.That(changes[2].Skip(7).Take(2), Is.EqualTo(new[] { "-560.25", "-46.668055%" }), "the change of the slow endpoint");
            Assert.That(sources.Skip(1).Select(r => (r[0], r[2])), Is.EqualTo(new[] { ("Prometheus", "reachable"), ("Jaeger", "reachable"), ("Database", "not given") }));
            Assert.That(text, Does.Contain("1 new, 1 remaining, 1 gone").And.Contain("POST /posts <new>"));
            Assert.That(PageAssert.NotBlank(screenshot).Height, Is.GreaterThan(ChromiumPage.ViewportHeight), "the whole page, not the viewport");
            PageAssert.Pdf(pdf, minPages: 2);
        });
    }

    [Test]
    public async Task OpenFile_DetectorReportBothSourcesDown_StillRendersAndSaysSo()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(), new FakeTracesAnalyzer());
        string html = run.Report("bottleneck_report_", ".html") ?? throw new AssertionException(run.ToString());

        await using var chrome = await HeadlessChromium.StartAsync(limit.Token);
        await using var page = await chrome.OpenFileAsync(html, limit.Token);
        var findings = await page.TableAsync("findings", limit.Token);
        string text = await page.BodyTextAsync(limit.Token);
        byte[] screenshot = await page.ScreenshotAsync(limit.Token);

        Assert.Multiple(() =>
        {
            PageAssert.OnlyItselfAndDataUris(page);
            Assert.That(findings, Has.Count.EqualTo(1), "the header only");
            Assert.That(text, Does.Contain("nothing checked: neither Prometheus nor Jaeger could be reached"));
            Assert.That(text, Does.Contain("not checked (Prometheus unreachable)"));
            Assert.That(text, Does.Contain("point at yours with --prometheus-url URL"), "the fix, in the sources table");
            PageAssert.NotBlank(screenshot);
        });
    }

    private static FakeMetricsAnalyzer Metrics(params Finding[] findings) => new(FakeMetricsAnalyzer.Reachable(findings,
        [new RouteLatency("GET /slow", 1200.5), new RouteLatency("GET /boards", 12.25)],
        Enumerable.Range(0, 30).Select(i => new MemoryPoint(DateTimeOffset.UnixEpoch.AddSeconds(1_764_072_000 + (i * 10)), 50e6 + (i * 1e6))).ToList()));

    private static FakeTracesAnalyzer Traces(params Finding[] findings) => new(FakeTracesAnalyzer.Reachable(findings));

    /// <summary>A findings table row read back: the number cells parsed as the JSON reader would.</summary>
    private static Finding Finding(IReadOnlyList<string> row) => new(
        row[0], FindingsSeverity(row[1]), row[2], double.Parse(row[3], CultureInfo.InvariantCulture), row[4],
        row[5].Length == 0 ? null : double.Parse(row[5], CultureInfo.InvariantCulture), row[6], row[7]);

    private static Severity FindingsSeverity(string word) => Enum.Parse<Severity>(word, ignoreCase: true);

    /// <summary>As a browser shows text: runs of white space as one space.</summary>
    private static Finding Normalised(Finding f) => f with
    {
        Evidence = Regex.Replace(f.Evidence, @"\s+", " ").Trim(), Recommendation = Regex.Replace(f.Recommendation, @"\s+", " ").Trim(),
    };

    private static string Status(FindingStatus status) => status == FindingStatus.NotChecked ? "not checked" : status.ToString().ToLowerInvariant();

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>A small PNG of three coloured bars.</summary>
    private static byte[] Bars()
    {
        using var bitmap = new SKBitmap(300, 150);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint();
        SKColor[] colours = [SKColors.SteelBlue, SKColors.IndianRed, SKColors.SeaGreen];
        for (int i = 0; i < colours.Length; i++)
        {
            paint.Color = colours[i];
            canvas.DrawRect(30 + (i * 90), 140 - ((i + 1) * 40), 60, (i + 1) * 40, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
