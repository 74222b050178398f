using System.Text;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;

namespace PerfTools.Tests.Reports.Analyzer;

[TestFixture]
public sealed class RequestsCsvTests
{
    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void WriteThenRead_AwkwardStrings_RoundTripExactly(string culture)
    {
        using var scope = new CultureScope(culture);
        var start = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        RequestResult[] results =
        [
            new("GET /search", "GET", "http://h/search?q=a,b&x=\"quoted\"", 400, start, 0, 1, 2, 3, null, 0.1,
                ErrorKind.Http4xx, "line one\r\nline two, with \"quotes\"\nand a lone LF"),
            new("GET /x", "GET", "http://h/x", 0, start, -7, -1, 1_234_567_890, 0, "", null,
                ErrorKind.Other, "=SUM(A1) -5 +x @y"),
            new("GET /ü", "GET", "http://h/%C3%BC", 200, start, 1, 2, 3, 4, " spaced ", -0.0005,
                ErrorKind.None, "  leading and trailing spaces  "),
        ];

        using var stream = new MemoryStream();
        RequestsCsv.Write(stream, results);
        stream.Position = 0;
        var read = RequestsCsv.Read(stream);

        // An empty trace id is written as an empty field and so reads back as null (documented on RequestsCsv).
        var expected = results.Select(r => r with { TraceId = r.TraceId is "" ? null : r.TraceId }).ToList();
        Assert.That(read, Is.EqualTo(expected), Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Test]
    public void Write_OneRequest_HasTheDocumentedColumnsAndFormats()
    {
        using var stream = new MemoryStream();
        RequestsCsv.Write(stream, [ReportSamples.Results[0]]);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo(
                "label,method,url,status,started_at,lag_ms,ttfb_ms,total_ms,bytes,trace_id,server_time_ms,error,error_message"));
            Assert.That(lines[1], Is.EqualTo(
                "GET /boards,GET,http://localhost:5000/boards,200,2025-03-14T15:09:26.5350000Z,0.000,8.125,12.345,1024,"
                + "0af7651916cd43dd8448eb211c80319c,3.5,,"));
        });
    }

    // Regressions found by the parser fuzz: each threw ArgumentException, FormatException, OverflowException,
    // KeyNotFoundException or CsvFormatException instead of the reader's one InvalidDataException.
    [TestCase(",Http5xx,", ",Bogus,", "row 1: unknown error kind 'Bogus'")]
    [TestCase(",Http5xx,", ",7,", "row 1: unknown error kind '7'")]
    [TestCase(",100.001,", ",7.0:0,", "row 1:")]
    [TestCase(",100.001,", ",1e999,", "row 1:")]
    [TestCase(",2025-03-14T", ",202\u007f-03-14T", "row 1:")]
    [TestCase(",503,", ",,", "'status'")]
    [TestCase(",total_ms,", ",t0tal_ms,", "total_ms")]
    public void Read_DamagedField_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        RequestsCsv.Write(stream, [ReportSamples.Results[3]]);
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => RequestsCsv.Read(s), "requests CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void Read_Empty_InvalidDataNotKeyNotFound()
    {
        DamagedReport.Read("", s => RequestsCsv.Read(s), "requests CSV");
    }
}
