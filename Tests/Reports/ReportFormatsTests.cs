using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;


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

    internal static void AssertStatsEqual(IReadOnlyList<EndpointStats> actual, IReadOnlyList<EndpointStats> expected)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        const double rounding = 0.0005 + 1e-9; // the file has 3 decimals; plus the binary error of parsing them
        Assert.Multiple(() =>
        {
            for (var i = 0; i < expected.Count; i++)
            {
                var (a, e) = (actual[i], expected[i]);
                Assert.That(a.Label, Is.EqualTo(e.Label));
                Assert.That((a.Count, a.Measured, a.Errors), Is.EqualTo((e.Count, e.Measured, e.Errors)), e.Label);
                Assert.That(a.ErrorsByKind, Is.EquivalentTo(e.ErrorsByKind), e.Label);
                Assert.That(
                    new[] { a.MinMs, a.MeanMs, a.P50Ms, a.P90Ms, a.P95Ms, a.P99Ms, a.MaxMs, a.StdDevMs, a.ThroughputRps },
                    Is.EqualTo(new[] { e.MinMs, e.MeanMs, e.P50Ms, e.P90Ms, e.P95Ms, e.P99Ms, e.MaxMs, e.StdDevMs, e.ThroughputRps })
                        .Within(rounding),
                    e.Label);
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
