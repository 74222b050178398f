using System.Text;
using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Tests.Reports;
using PerfTools.Tests.Reports.Comparison;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>The console after a run matches its golden file (STYLE habit 10) in any culture; colour and the progress
/// line appear only when asked for (a terminal), never in redirected output.</summary>
public class ConsoleOutputTests
{
    private static readonly EndpointStats Failing = new(
        "GET /x", 4, 4, 1, new Dictionary<string, long> { ["Http5xx"] = 1 },
        1_000, 2_000, 2_000, 3_000, 30_000, 30_000, 30_000, 1_000, 10, null);

    /// <summary>The sample run of the report files, its warm-ups (one unsettled), a p95 gate one endpoint misses, and a
    /// comparison with an endpoint new and one only in the baseline: what <see cref="AnalyzeCommand"/> prints after the requests.</summary>
    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void Write_SampleRunWithComparison_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var output = new StringWriter { NewLine = "\n" };
        var comparison = new RunComparison(
            "reports/performance_data_20250314_150000.json",
            [ComparisonReportsTests.Rows[0] with { Label = "GET /boards" }, ComparisonReportsTests.Rows[1] with { Label = "GET /boards/{id}" }],
            ["GET /old"],
            ["POST /boards/{id}/posts"],
            "endpoint");

        ConsoleReport.Write(output, ReportSamples.Stats, ReportSamples.Results, maxP95Ms: 50, colour: false, comparison, ReportSamples.Warmups);

        GoldenFile.AssertMatches("analyzer_console.txt", Encoding.UTF8.GetBytes(output.ToString()));
    }

    [Test]
    public void WriteTable_Colour_ErrorsRedP95OverGateYellow()
    {
        using var output = new StringWriter();

        ConsoleReport.WriteTable(output, [Failing], maxP95Ms: 10, colour: true);

        Assert.Multiple(() =>
        {
            Assert.That(output.ToString(), Does.Contain("\u001b[31m"));
            Assert.That(output.ToString(), Does.Contain("\u001b[33m"));
        });
    }

    [Test]
    public void WriteTable_NoColour_PlainTextWithTwoDecimals()
    {
        using var output = new StringWriter();

        ConsoleReport.WriteTable(output, [Failing], maxP95Ms: 10, colour: false);

        Assert.Multiple(() =>
        {
            Assert.That(output.ToString(), Does.Not.Contain("\u001b["));
            Assert.That(output.ToString(), Does.Contain("30.00"));
            Assert.That(output.ToString(), Does.Contain(" -"), "server time unknown");
        });
    }

    /// <summary>Regression: the µs went through a double, where 145 µs is 0.14499… ms, and printed 0.14 (1005 µs 1.00),
    /// though the table rounds halves away from zero as the simulator's console does.</summary>
    [Test]
    public void WriteTable_HalfHundredthOfMs_RoundsAwayFromZero()
    {
        using var output = new StringWriter { NewLine = "\n" };
        EndpointStats stats = new("GET /x", 2, 2, 0, new Dictionary<string, long>(), 145, 575, 145, 1_005, 1_005, 1_005, 1_005, 0, 1, null);

        ConsoleReport.WriteTable(output, [stats], maxP95Ms: null, colour: false);

        Assert.That(output.ToString().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "GET", "/x", "2", "0", "0.15", "0.58", "0.15", "1.01", "1.01", "1.01", "-" }));
    }

    [Test]
    public void ProgressLine_Enabled_RewritesInPlaceAndClears()
    {
        using var output = new StringWriter();
        var progress = new ProgressLine(output, enabled: true);

        progress.Show("GET /boards", 7, 10);
        progress.Clear();

        Assert.That(output.ToString(), Is.EqualTo("\rGET /boards  7/10\r" + new string(' ', 17) + "\r"));
    }

    [Test]
    public void ProgressLine_Disabled_WritesNothing()
    {
        using var output = new StringWriter();
        var progress = new ProgressLine(output, enabled: false);

        progress.Show("GET /boards", 7, 10);
        progress.Clear();

        Assert.That(output.ToString(), Is.Empty);
    }
}
