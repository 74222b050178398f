using PerfTools.Shared.Reports;
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
            Assert.That(page.Requests.Select(r => r.Url), Has.All.Matches<string>(u => u == page.Url.AbsoluteUri || u.StartsWith("data:", StringComparison.Ordinal)),
                page.ToString());
            Assert.That(page.Requests.Count(r => r.Url.StartsWith("data:image/png", StringComparison.Ordinal)), Is.EqualTo(1), page.ToString());
            Assert.That(page.FailedRequests, Is.Empty, page.ToString());
            Assert.That(rows, Is.EqualTo(new[]
            {
                new[] { "endpoint", "p50 ms", "change" },
                new[] { "GET /boards", "12.345", "-3.1%" },
                new[] { "GET /slow <x>", "512.000", "+0.5%" },
            }));
            Assert.That(text, Does.Contain("Plain <report>").And.Contain("faster"));
            Assert.That(screenshot.Width, Is.EqualTo(ChromiumPage.ViewportWidth));
            Assert.That(screenshot.IsNotBlank(), Is.True, screenshot.ToString());
            AssertPdf(pdf);
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

    /// <summary>A real PDF of some substance: the header, the end marker, at least a page, and more than a blank page's bytes.</summary>
    internal static void AssertPdf(byte[] pdf)
    {
        string head = System.Text.Encoding.ASCII.GetString(pdf, 0, Math.Min(pdf.Length, 8));
        string tail = System.Text.Encoding.ASCII.GetString(pdf, Math.Max(0, pdf.Length - 32), Math.Min(pdf.Length, 32));
        Assert.That(head, Does.StartWith("%PDF-"));
        Assert.That(tail, Does.Contain("%%EOF"));
        Assert.That(pdf, Has.Length.GreaterThan(10_000), "text and an image, not an empty page");
    }

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
