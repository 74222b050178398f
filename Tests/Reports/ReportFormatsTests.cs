using System.Text;
using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Analysis;


namespace PerfTools.Tests.Reports;

/// <summary>Every text format written for a later reader reads back (STYLE habit 6), and matches its golden file (habit 10) in any culture (habit 7).</summary>
[TestFixture]
public sealed class ReportFormatsTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "perftools-reports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void WriteAllThenReadAll_SampleRun_ReadsBackWhatWasWritten(string culture)
    {
        using var scope = new CultureScope(culture);
        var paths = PerformanceReportPaths.ForRun(_folder, ReportSamples.Start);
        var samples = PerformanceDataJson.Samples(ReportSamples.Results);

        SummaryCsv.WriteFile(paths.SummaryCsv, ReportSamples.Stats);
        RequestsCsv.WriteFile(paths.RequestsCsv, ReportSamples.Results);
        PerformanceDataJson.WriteFile(paths.DataJson, samples, ReportSamples.Warmups);

        var stats = SummaryCsv.ReadFile(paths.SummaryCsv);
        var results = RequestsCsv.ReadFile(paths.RequestsCsv);
        var readSamples = PerformanceDataJson.ReadFile(paths.DataJson);
        var readWarmups = PerformanceDataJson.ReadWarmupsFile(paths.DataJson);

        AssertStatsEqual(stats, ReportSamples.Stats);
        Assert.That(results, Is.EqualTo(ReportSamples.Results));
        Assert.Multiple(() =>
        {
            Assert.That(readSamples.Keys, Is.EqualTo(samples.Keys), "labels in first-seen order");
            foreach (var (label, values) in samples)
            {
                Assert.That(readSamples[label], Is.EqualTo(values), label);
            }

            Assert.That(readWarmups, Is.EqualTo(ReportSamples.Warmups));
        });
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void SummaryCsv_SampleRun_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();
        SummaryCsv.Write(stream, ReportSamples.Stats);
        GoldenFile.AssertMatches("performance_summary.csv", stream.ToArray());
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void RequestsCsv_SampleRun_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();
        RequestsCsv.Write(stream, ReportSamples.Results);
        GoldenFile.AssertMatches("performance_requests.csv", stream.ToArray());
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void PerformanceDataJson_SampleRun_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();
        PerformanceDataJson.Write(stream, PerformanceDataJson.Samples(ReportSamples.Results), ReportSamples.Warmups);
        GoldenFile.AssertMatches("performance_data.json", stream.ToArray());
    }

    [Test]
    public void Writers_DecimalCommaCulture_WriteTheSameBytesAsInvariant()
    {
        var invariant = WriteAll("");
        var german = WriteAll("de-DE");
        Assert.Multiple(() =>
        {
            for (var i = 0; i < invariant.Count; i++)
            {
                Assert.That(german[i], Is.EqualTo(invariant[i]), $"file {i}");
            }
        });
    }

    /// <summary>Pins the one latency model (STYLE habit 14): a sub-millisecond latency and a long one keep their exact µs
    /// from the recorder through <see cref="EndpointStats"/>, and become ms only in the text, with the digits the
    /// analyzer has always written (the console's 2 decimals, the files' 3).</summary>
    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void EveryFormat_SubMillisecondAndLongLatency_ExactMicrosToTheSameDigits(string culture)
    {
        using var scope = new CultureScope(culture);
        RequestResult[] results =
        [
            EndpointSummaryTests.Result(437, label: "GET /fast"),
            EndpointSummaryTests.Result(1_234_567, label: "GET /slow"), // above 2048 µs, where a histogram bucket is wider than 1 µs
        ];
        var run = new RunSummary();
        foreach (RequestResult result in results)
        {
            run.Add(result);
        }

        IReadOnlyList<EndpointStats> stats = run.Complete();
        using var csv = new MemoryStream();
        SummaryCsv.Write(csv, stats);
        using var json = new MemoryStream();
        PerformanceDataJson.Write(json, PerformanceDataJson.Samples(results));
        using var console = new StringWriter { NewLine = "\n" };
        ConsoleReport.WriteTable(console, stats, maxP95Ms: null, colour: false);

        var (fast, slow) = (stats[0], stats[1]);
        Assert.Multiple(() =>
        {
            Assert.That(new[] { fast.MinMicros, fast.P50Micros, fast.P90Micros, fast.P95Micros, fast.P99Micros, fast.MaxMicros },
                Is.All.EqualTo(437));
            Assert.That(new[] { slow.MinMicros, slow.P50Micros, slow.P90Micros, slow.P95Micros, slow.P99Micros, slow.MaxMicros },
                Is.All.EqualTo(1_234_567));
            Assert.That((fast.MeanMicros, slow.MeanMicros), Is.EqualTo((437.0, 1_234_567.0)));
            Assert.That(fast.LatencyHistogram, Is.EqualTo(new[] { (437L, 1L) }));
            Assert.That(slow.LatencyHistogram, Is.EqualTo(new[] { (1_234_567L, 1L) }));

            Assert.That(Encoding.UTF8.GetString(csv.ToArray()).Split("\r\n")[1..3], Is.EqualTo(new[]
            {
                "GET /fast,1,1,0,,0.437,0.437,0.437,0.437,0.437,0.437,0.437,0.000,2288.330,",
                "GET /slow,1,1,0,,1234.567,1234.567,1234.567,1234.567,1234.567,1234.567,1234.567,0.000,0.810,",
            }));
            Assert.That(PerformanceHtml.SummaryRow(fast).Skip(3), Has.All.EqualTo("0.437"));
            Assert.That(PerformanceHtml.SummaryRow(slow).Skip(3), Has.All.EqualTo("1234.567"));
            Assert.That(Encoding.UTF8.GetString(json.ToArray()).ReplaceLineEndings("\n"), Is.EqualTo(
                "{\n  \"GET /fast\": [\n    0.437\n  ],\n  \"GET /slow\": [\n    1234.567\n  ]\n}\n"));
            string[] lines = console.ToString().Split('\n');
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Is.EqualTo(new[] { "GET", "/fast", "1", "0", "0.44", "0.44", "0.44", "0.44", "0.44", "0.44", "-" }));
            Assert.That(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Is.EqualTo(new[] { "GET", "/slow", "1", "0", "1234.57", "1234.57", "1234.57", "1234.57", "1234.57", "1234.57", "-" }));
        });
    }

    internal static void AssertStatsEqual(IReadOnlyList<EndpointStats> actual, IReadOnlyList<EndpointStats> expected)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        const double rounding = 0.0005 + 1e-9; // the file has 3 decimals; plus the binary error of parsing them
        const double roundingMicros = 0.5 + 1e-6; // the same for a µs figure that is no whole µs (mean, std dev)
        Assert.Multiple(() =>
        {
            for (var i = 0; i < expected.Count; i++)
            {
                var (a, e) = (actual[i], expected[i]);
                Assert.That(a.Label, Is.EqualTo(e.Label));
                Assert.That((a.Count, a.Measured, a.Errors), Is.EqualTo((e.Count, e.Measured, e.Errors)), e.Label);
                Assert.That(a.ErrorsByKind, Is.EquivalentTo(e.ErrorsByKind), e.Label);
                Assert.That(
                    new[] { a.MinMicros, a.P50Micros, a.P90Micros, a.P95Micros, a.P99Micros, a.MaxMicros },
                    Is.EqualTo(new[] { e.MinMicros, e.P50Micros, e.P90Micros, e.P95Micros, e.P99Micros, e.MaxMicros }),
                    e.Label + ": whole µs read back exactly");
                Assert.That(new[] { a.MeanMicros, a.StdDevMicros }, Is.EqualTo(new[] { e.MeanMicros, e.StdDevMicros }).Within(roundingMicros), e.Label);
                Assert.That(a.ThroughputRps, Is.EqualTo(e.ThroughputRps).Within(rounding), e.Label);
                if (e.ServerTimeMeanMs is { } server)
                {
                    Assert.That(a.ServerTimeMeanMs, Is.EqualTo(server).Within(rounding), e.Label);
                }
                else
                {
                    Assert.That(a.ServerTimeMeanMs, Is.Null, e.Label);
                }
            }
        });
    }

    private static List<byte[]> WriteAll(string culture)
    {
        using var scope = new CultureScope(culture);
        using var summary = new MemoryStream();
        using var requests = new MemoryStream();
        using var data = new MemoryStream();
        SummaryCsv.Write(summary, ReportSamples.Stats);
        RequestsCsv.Write(requests, ReportSamples.Results);
        PerformanceDataJson.Write(data, PerformanceDataJson.Samples(ReportSamples.Results), ReportSamples.Warmups);
        return [summary.ToArray(), requests.ToArray(), data.ToArray()];
    }
}
