using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Analyzer;


namespace PerfTools.Tests.Reports.Analyzer;

/// <summary><c>performance_report_*.html</c> from a fixed run: the summary table holds the summary CSV's own text, the
/// errors are listed as on the console, and whatever is missing (chart, traces) says why.</summary>
public sealed class PerformanceHtmlTests
{
    private static PerformanceHtmlContent Content(byte[]? chart = null, IReadOnlyList<string>? traces = null) => new(
        ReportSamples.Start,
        new RunSettingsTable(Redactor.None).Add("base URL", "http://***@localhost:5000/"),
        ["interrupted: stopped sending; reporting the 5 requests measured"],
        ReportSamples.Stats,
        ReportSamples.Results,
        chart,
        chart is null ? "chart not drawn: font 'DejaVu Sans' is not installed" : null,
        traces ?? [],
        "Jaeger was not asked: the run was interrupted.",
        Warmups: ReportSamples.Warmups);

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void Build_SampleRun_SummaryRowsAreTheSummaryCsvText(string culture)
    {
        using var scope = new CultureScope(culture);
        using var csv = new MemoryStream();
        SummaryCsv.Write(csv, ReportSamples.Stats);
        string[] lines = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        string html = PerformanceHtml.Build(Content()).ToHtml();

        string[] header = lines[0].Split(',');
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            string Cell(string column) => cells[Array.IndexOf(header, column)];
            string expected = $"<tr><td>{Cell("endpoint")}</td>" + string.Concat(
                new[] { "count", "errors", "min_ms", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms" }
                    .Select(c => $"<td class=\"num\">{Cell(c)}</td>")) + "</tr>";
            Assert.That(html, Does.Contain(expected));
        }

        Assert.That(html, Does.Contain("<table id=\"summary\">"));
    }

    [Test]
    public void Build_Warmups_OneRowPerEndpointWithItsCountAndWhetherItSettled()
    {
        string html = PerformanceHtml.Build(Content()).ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<table id=\"warmup\">"));
            Assert.That(html, Does.Contain("<tr><td>GET /boards</td><td class=\"num\">30</td><td>yes</td></tr>"));
            Assert.That(html, Does.Contain("<tr><td>GET /boards/{id}</td><td class=\"num\">300</td><td>no: stopped at its bound"));
            Assert.That(html, Does.Contain("<tr><td>POST /boards/{id}/posts</td><td class=\"num\">5</td><td>not judged"));
        });
    }

    [Test]
    public void Build_ErrorsChartAndTracesMissing_ListsErrorsAndSaysWhy()
    {
        string html = PerformanceHtml.Build(Content()).ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<tr><td>GET /boards/{id}</td><td>Http5xx</td><td class=\"num\">1</td><td>Service Unavailable</td></tr>"));
            Assert.That(html, Does.Contain("<td>POST /boards/{id}/posts</td><td>Timeout</td>"));
            Assert.That(html, Does.Contain("chart not drawn: font"));
            Assert.That(html, Does.Contain("Jaeger was not asked: the run was interrupted."));
            Assert.That(html, Does.Contain("<span class=\"verdict bad\">interrupted: stopped sending"));
            Assert.That(html, Does.Contain("http://***@localhost:5000/"));
            Assert.That(html, Does.Not.Contain("<img"));
            Assert.That(html, Does.Not.Contain("id=\"comparison\""), "no baseline, no comparison section");
        });
    }

    [Test]
    public void Build_ChartAndTraceLines_EmbeddedAndEscaped()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        string html = PerformanceHtml.Build(Content(png, ["GET /slow 512.00 ms:", "  db SELECT <x> & 'y'"])).ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("src=\"data:image/png;base64," + Convert.ToBase64String(png) + "\""));
            Assert.That(html, Does.Contain("<pre>GET /slow 512.00 ms:\n  db SELECT &lt;x&gt; &amp; &#39;y&#39;</pre>"));
            Assert.That(html, Does.Not.Contain("chart not drawn"));
        });
    }
}
