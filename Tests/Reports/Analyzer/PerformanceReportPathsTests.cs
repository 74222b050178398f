using PerfTools.Shared.Reports.Analyzer;


namespace PerfTools.Tests.Reports.Analyzer;

[TestFixture]
public sealed class PerformanceReportPathsTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Path.Combine(Path.GetTempPath(), "perftools-paths-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void ForRun_EmptyFolder_NamesEveryFileWithOneTimestamp()
    {
        var paths = PerformanceReportPaths.ForRun(_folder, new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(1)));

        Assert.That(paths.All.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "performance_report_20250304_050607.png",
            "performance_data_20250304_050607.json",
            "performance_summary_20250304_050607.csv",
            "performance_requests_20250304_050607.csv",
            "performance_report_20250304_050607.html",
            "comparison_20250304_050607.csv",
            "comparison_20250304_050607.json",
        }));
    }

    [Test]
    public void ForRun_TimeProvider_UsesItsLocalTime()
    {
        var time = new FixedTime(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), TimeZoneInfo.CreateCustomTimeZone("UTC+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2"));
        Assert.That(PerformanceReportPaths.ForRun(_folder, time).Timestamp, Is.EqualTo("20250304_070607"));
    }

    [Test]
    public void ForRun_SetAlreadyWrittenInTheSameSecond_GetsSuffixesForTheWholeSet()
    {
        var at = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var first = PerformanceReportPaths.ForRun(_folder, at);
        SummaryCsv.WriteFile(first.SummaryCsv, ReportSamples.Stats); // one file of the set is enough to take the stamp

        var second = PerformanceReportPaths.ForRun(_folder, at);
        PerformanceDataJson.WriteFile(second.DataJson, PerformanceDataJson.Samples(ReportSamples.Results));
        var third = PerformanceReportPaths.ForRun(_folder, at);

        Assert.Multiple(() =>
        {
            Assert.That(second.Timestamp, Is.EqualTo("20250304_050607_2"));
            Assert.That(third.Timestamp, Is.EqualTo("20250304_050607_3"));
            Assert.That(Path.GetFileName(third.RequestsCsv), Is.EqualTo("performance_requests_20250304_050607_3.csv"));
        });
    }

    [Test]
    public void WriteFile_AllFormats_LeaveNoTemporaryFiles()
    {
        var paths = PerformanceReportPaths.ForRun(_folder, ReportSamples.Start);
        SummaryCsv.WriteFile(paths.SummaryCsv, ReportSamples.Stats);
        RequestsCsv.WriteFile(paths.RequestsCsv, ReportSamples.Results);
        PerformanceDataJson.WriteFile(paths.DataJson, PerformanceDataJson.Samples(ReportSamples.Results));
        SummaryCsv.WriteFile(paths.SummaryCsv, ReportSamples.Stats); // overwriting is a rename too

        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { paths.DataJson, paths.RequestsCsv, paths.SummaryCsv }.Select(Path.GetFileName).Order()));
    }

    [Test]
    public void WriteFile_WriterThrows_LeavesNoFileAndNoTemporary()
    {
        var paths = PerformanceReportPaths.ForRun(_folder, ReportSamples.Start);
        var bad = new Dictionary<string, IReadOnlyList<double>> { ["GET /"] = [1.0, double.PositiveInfinity] };

        Assert.That(() => PerformanceDataJson.WriteFile(paths.DataJson, bad), Throws.ArgumentException);
        Assert.That(Directory.GetFiles(_folder), Is.Empty, "a failed write must not leave a half-written report");
    }

    private sealed class FixedTime(DateTimeOffset utcNow, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => utcNow;

        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
