using System.Text;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;

namespace PerfTools.Tests.Reports.Analyzer;

[TestFixture]
public sealed class SummaryCsvTests
{
    [Test]
    public void Write_Header_ListsTheDocumentedColumns()
    {
        using var stream = new MemoryStream();
        SummaryCsv.Write(stream, []);
        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(
            "endpoint,count,measured,errors,error_kinds,min_ms,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,stddev_ms,"
            + "throughput_rps,server_time_mean_ms\r\n"));
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void WriteThenRead_LabelWithCommaAndQuote_RoundTrips(string culture)
    {
        using var scope = new CultureScope(culture);
        EndpointStats[] stats =
        [
            new("GET /a,b \"c\"\nd", 10, 8, 3, new Dictionary<string, long> { ["Other"] = 1, ["Timeout"] = 2 },
                1_000, 2_000.5, 3_000, 4_000, 5_000, 6_000, 7_000, 123.4, 1234.5678, 0.5),
        ];
        using var stream = new MemoryStream();
        SummaryCsv.Write(stream, stats);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;

        ReportFormatsTests.AssertStatsEqual(SummaryCsv.Read(stream), stats);
        Assert.That(text, Does.Contain(",Timeout=2;Other=1,1.000,2.001,3.000,"), "kinds in ErrorKind order, 3 decimals, midpoint away from zero");
    }

    // Regressions found by the parser fuzz: each threw FormatException, KeyNotFoundException or CsvFormatException.
    [TestCase(",Http5xx=1,", ",Http5xx=1true,", "row 2:")]
    [TestCase(",72.840,", ",72.84\\,", "row 2:")]
    [TestCase("GET /boards,2,", "GET /boards,2.2,", "'count'")]
    [TestCase("endpoint,", "ndpoint,", "endpoint")]
    public void Read_DamagedField_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        SummaryCsv.Write(stream, ReportSamples.Stats);
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => SummaryCsv.Read(s), "summary CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }
}
