using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Analyzer;
using SkiaSharp;

namespace PerfTools.Tests.Reports.Analyzer;

/// <summary>Smoke checks for the PNG (STYLE habit 10): it decodes, has the size asked for, and is not blank.</summary>
[TestFixture]
public sealed class PerformanceChartTests
{
    [Test]
    public void FontFamily_OnThisMachine_IsInstalled()
    {
        Assert.That(PerformanceChart.IsFontInstalled(), Is.True,
            $"font '{PerformanceChart.FontFamily}' not found: without it chart text silently vanishes; install fonts-dejavu-core");
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void RenderPng_SampleRun_DecodesAtSizeAndIsNotBlank(string culture)
    {
        using var scope = new CultureScope(culture);
        var samples = ManySamples();

        var png = new PerformanceChart().RenderPng("http://localhost:5000", ReportSamples.Start, ReportSamples.Stats, samples);

        WriteForInspection($"chart-{culture}.png", png);
        using var bitmap = SKBitmap.Decode(png);
        Assert.That(bitmap, Is.Not.Null, "PNG does not decode");
        Assert.Multiple(() =>
        {
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((1400, 1000)));
            var (colours, inked) = Ink(bitmap);
            Assert.That(colours, Is.GreaterThan(50), "distinct colours: bars, boxes, lines, anti-aliased text");
            Assert.That(inked, Is.InRange(0.02, 0.6), "share of non-white pixels");
        });
    }

    [Test]
    public void RenderPng_NoSamples_RendersTheNoDataChart()
    {
        var chart = new PerformanceChart { Width = 800, Height = 600 };
        var timeouts = ReportSamples.Stats.Where(s => s.Measured == 0).ToList();

        var png = chart.RenderPng("http://localhost:5000", ReportSamples.Start, timeouts, new Dictionary<string, IReadOnlyList<double>>());
        var none = chart.RenderPng("http://localhost:5000", ReportSamples.Start, Array.Empty<EndpointStats>(), new Dictionary<string, IReadOnlyList<double>>());

        WriteForInspection("chart-empty.png", png);
        using var bitmap = SKBitmap.Decode(png);
        using var noneBitmap = SKBitmap.Decode(none);
        Assert.Multiple(() =>
        {
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((800, 600)));
            Assert.That(Ink(bitmap).InkedShare, Is.GreaterThan(0.002), "the title and the message are drawn");
            Assert.That(Ink(noneBitmap).InkedShare, Is.GreaterThan(0.002), "no endpoints at all also renders");
        });
    }

    [Test]
    public void WriteFile_SampleRun_WritesOnlyThePng()
    {
        var folder = Path.Combine(Path.GetTempPath(), "perftools-chart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var paths = PerformanceReportPaths.ForRun(folder, ReportSamples.Start);
            new PerformanceChart().WriteFile(paths.ChartPng, "http://localhost:5000", ReportSamples.Start, ReportSamples.Stats, ManySamples());

            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(paths.ChartPng) }));
            using var bitmap = SKBitmap.Decode(paths.ChartPng);
            Assert.That(bitmap, Is.Not.Null);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Seeded, skewed latencies (STYLE habit 5) so the boxes and percentile lines have shape.</summary>
    private static Dictionary<string, IReadOnlyList<double>> ManySamples()
    {
        var random = new Random(12345);
        IReadOnlyList<double> Skewed(double median, int n) =>
            Enumerable.Range(0, n).Select(_ => Math.Round(median * Math.Exp(0.5 * Gaussian(random)), 3)).ToList();
        return new Dictionary<string, IReadOnlyList<double>>
        {
            ["GET /boards"] = Skewed(11, 500),
            ["GET /boards/{id}"] = Skewed(60, 500),
        };
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static (int Colours, double InkedShare) Ink(SKBitmap bitmap)
    {
        var colours = new HashSet<SKColor>();
        var inked = 0;
        foreach (var pixel in bitmap.Pixels)
        {
            colours.Add(pixel);
            if (pixel != SKColors.White)
            {
                inked++;
            }
        }

        return (colours.Count, inked / (double)bitmap.Pixels.Length);
    }

    /// <summary>Keeps the last rendered charts for a person to look at (TestContext's work folder).</summary>
    private static void WriteForInspection(string name, byte[] png) =>
        File.WriteAllBytes(Path.Combine(TestContext.CurrentContext.WorkDirectory, name), png);
}
