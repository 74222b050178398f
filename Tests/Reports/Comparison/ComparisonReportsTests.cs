using System.Text;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Comparison;

namespace PerfTools.Tests.Reports.Comparison;

/// <summary>comparison_*.csv and .json read back to what was written, under a decimal-comma culture too (STYLE habits 6,
/// 7), match their golden files (habit 10), and the console table and HTML section say what the rows say.</summary>
public sealed class ComparisonReportsTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 11, 25, 13, 4, 5, 678, TimeSpan.FromHours(1));

    /// <summary>One row of each kind: faster (normal approximation, tiny p), slower (exact), no significant change, not
    /// tested, a baseline of 0 (change null), and inconclusive (the simulator's corrected and uncorrected verdicts
    /// differ); five tested rows, so p is Holm-adjusted over 5. ms at 3 decimals so the round trip is exact.</summary>
    internal static IReadOnlyList<LatencyComparison> Rows { get; } =
    [
        new LatencyComparison("GET /slow", 200, 200, 1002.345, 101.234, -89.9, 1010.5, 105.125, -89.597, 1020.0, 110.0, -89.216, 1003.25, 102.5, -89.783,
            new MannWhitneyResult(200, 200, 0, -17.309, 3.9e-67, MannWhitneyU.NormalMethod, 0), 0.05, ComparisonVerdict.Faster)
        {
            Threshold = new ThresholdTest(5, 1, 1.2e-66, 2.4e-66, 1.2e-65, 5),
            Shift = new ShiftEstimate(-901.111, -902.5, -899.75, 0.95),
        },
        new LatencyComparison("GET /boards/{id}/posts", 10, 12, 20.5, 26.75, 30.488, 22.0, 30.0, 36.364, 22.0, 30.0, 36.364, 20.6, 26.9, 30.583,
            new MannWhitneyResult(10, 12, 118, 3.859, 1.2987012987012988e-05, MannWhitneyU.ExactMethod, 0.9833333333333333), 0.05,
            ComparisonVerdict.Slower)
        {
            Threshold = new ThresholdTest(5, 2.5e-05, 0.9999, 5e-05, 0.0002, 5),
            Shift = new ShiftEstimate(6.25, 4.5, 8.0, 0.95),
        },
        new LatencyComparison("GET /health", 50, 50, 0.412, 0.405, -1.699, 0.6, 0.61, 1.667, 0.9, 0.95, 5.556, 0.45, 0.44, -2.222,
            new MannWhitneyResult(50, 50, 1187.5, -0.36, 0.7188, MannWhitneyU.NormalMethod, 0.475), 0.05,
            ComparisonVerdict.NoSignificantChange)
        {
            Threshold = new ThresholdTest(5, 0.9, 0.95, 1, 1, 5),
            Shift = new ShiftEstimate(-0.007, -0.02, 0.01, 0.95),
        },
        new("POST /boards", 1, 10, 5.0, 4.0, -20.0, 5.0, 4.5, -10.0, 5.0, 4.5, -10.0, 5.0, 4.1, -18.0, null, 0.05,
            ComparisonVerdict.NotEnoughSamples),
        new LatencyComparison("GET /empty, \"quoted\"", 2, 2, 0, 1.5, null, 0, 1.5, null, 0, 1.5, null, 0, 1.5, null,
            new MannWhitneyResult(2, 2, 4, 1.5491933384829668, 0.3333333333333333, MannWhitneyU.ExactMethod, 1), 0.05,
            ComparisonVerdict.NoSignificantChange)
        {
            Threshold = new ThresholdTest(5, 0.16666666666666666, 1, 0.3333333333333333, 1, 5),
            Shift = new ShiftEstimate(1.5, 1.5, 1.5, 0.95),
        },
        new LatencyComparison("GET /lagged", 3000, 3000, 0.512, 0.561, 9.57, 0.9, 1.2, 33.333, 1.5, 2.5, 66.667, 0.6, 0.7, 16.667,
            new MannWhitneyResult(3000, 3000, 5_200_000, 9.1, 1.1e-19, MannWhitneyU.NormalMethod, 0.5777777777777777), 0.05,
            ComparisonVerdict.Inconclusive)
        {
            Threshold = new ThresholdTest(5, 0.0004, 1, 0.0008, 0.0032, 5),
            Shift = new ShiftEstimate(0.041, 0.03, 0.052, 0.95),
            UncorrectedVerdict = ComparisonVerdict.NoSignificantChange,
        },
    ];

    private static ComparisonReport Report => new("reports/performance_data_20261125_120000.json", GeneratedAt, Rows);

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void WriteThenRead_Csv_RoundTrip(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();
        ComparisonCsv.Write(stream, Rows);
        stream.Position = 0;

        Assert.That(ComparisonCsv.Read(stream), Is.EqualTo(Rows));
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void WriteThenRead_Json_RoundTrip(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();
        ComparisonJson.Write(stream, Report);
        stream.Position = 0;

        ComparisonReport read = ComparisonJson.Read(stream);

        Assert.Multiple(() =>
        {
            Assert.That(read.Baseline, Is.EqualTo(Report.Baseline));
            Assert.That(read.GeneratedAt, Is.EqualTo(GeneratedAt));
            Assert.That(read.GeneratedAt.Offset, Is.EqualTo(GeneratedAt.Offset));
            Assert.That(read.Comparisons, Is.EqualTo(Rows));
        });
    }

    [Test]
    public void WriteThenRead_ComparerOutput_CsvAndJsonAgree()
    {
        // A real comparison (not 3-decimal values): both files round the same way, so their readers agree.
        var random = new Random(12345);
        var before = Enumerable.Range(0, 200).Select(_ => 100 + (10 * random.NextDouble())).ToList();
        var after = Enumerable.Range(0, 200).Select(_ => 110 + (10 * random.NextDouble())).ToList();
        LatencyComparison c = LatencyComparer.Compare("GET /x", before, after);
        using var csv = new MemoryStream();
        using var json = new MemoryStream();
        ComparisonCsv.Write(csv, [c]);
        ComparisonJson.Write(json, new ComparisonReport("b", GeneratedAt, [c]));
        csv.Position = 0;
        json.Position = 0;

        LatencyComparison fromCsv = ComparisonCsv.Read(csv).Single();
        LatencyComparison fromJson = ComparisonJson.Read(json).Comparisons.Single();

        Assert.Multiple(() =>
        {
            Assert.That(fromJson, Is.EqualTo(fromCsv));
            Assert.That(fromCsv.Test, Is.EqualTo(c.Test), "the statistics read back exactly");
            Assert.That(fromCsv.P50AfterMs, Is.EqualTo(c.P50AfterMs).Within(0.0005));
        });
    }

    [Test]
    public void Write_Csv_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        ComparisonCsv.Write(stream, Rows);

        GoldenFile.AssertMatches("comparison.csv", stream.ToArray());
    }

    [Test]
    public void Write_Json_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        ComparisonJson.Write(stream, Report);

        GoldenFile.AssertMatches("comparison.json", stream.ToArray());
    }

    [Test]
    public void Write_NoRows_HeaderOnlyAndEmptyArrayReadBack()
    {
        using var csv = new MemoryStream();
        using var json = new MemoryStream();
        ComparisonCsv.Write(csv, []);
        ComparisonJson.Write(json, new ComparisonReport("b", GeneratedAt, []));
        csv.Position = 0;
        json.Position = 0;

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(csv.ToArray()), Does.StartWith("label,n_before,n_after,p50_before_ms,"));
            Assert.That(ComparisonCsv.Read(csv), Is.Empty);
            Assert.That(ComparisonJson.Read(json).Comparisons, Is.Empty);
        });
    }

    [TestCase(",faster,", ",quicker,", "row 1: 'quicker' is not a verdict")]
    [TestCase(",1.2E-65,5,", ",1.2E-65,,", "row 1: min_change_pct, p_slower, p_faster, p_threshold, p_adjusted and family_size must be all given or all empty")]
    [TestCase(",0.95,no significant change,false\r\n", ",0.95,maybe,false\r\n", "row 6: 'maybe' is not a verdict")]
    [TestCase("no significant change,false\r\n", "no significant change,maybe\r\n", "row 6: generator_behind 'maybe' is not true or false")]
    [TestCase(",mann-whitney-u,", ",t-test,", "row 1: test 't-test'")]
    [TestCase(",exact,", ",bootstrap,", "row 2: method 'bootstrap'")]
    [TestCase(",1.2987012987012988E-05,", ",1.5,", "row 2: p_value 1.5")]
    [TestCase(",1002.345,", ",NaN,", "row 1: p50_before_ms 'NaN'")]
    [TestCase(",200,200,", ",-200,200,", "row 1: n_before -200")]
    [TestCase("label,", "name,", "comparison CSV:")]
    public void ReadCsv_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        ComparisonCsv.Write(stream, Rows);
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => ComparisonCsv.Read(s), "comparison CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [TestCase("", "", "not JSON")]
    [TestCase("\"verdict\": \"faster\"", "\"verdict\": 3", "comparison 1: lacks text 'verdict'")]
    [TestCase("\"p50_before_ms\": 1002.345", "\"p50_before_ms\": \"fast\"", "comparison 1: lacks a number 'p50_before_ms'")]
    [TestCase("\"n_after\": 12", "\"n_after\": 12.5", "comparison 2: lacks a whole number 'n_after'")]
    [TestCase("\"test\": \"mann-whitney-u\"", "\"test\": \"welch\"", "comparison 1: test 'welch'")]
    [TestCase("\"u\": 118,", "\"u\": null,", "comparison 2: u is missing")]
    [TestCase("\"generated_at\": \"2026", "\"generated_at\": \"yesterday", "comparison report:")]
    [TestCase("\"comparisons\": [", "\"comparisons\": 5, \"rows\": [", "lacks the array 'comparisons'")]
    [TestCase("\n}\n", "\n}\n{}", "not JSON: Additional text")]
    public void ReadJson_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        ComparisonJson.Write(stream, Report);
        var text = find.Length == 0 ? "" : DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => ComparisonJson.Read(s), "comparison report");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void ReadJson_Array_InvalidData()
    {
        var e = DamagedReport.Read("[1, 2]", s => ComparisonJson.Read(s), "comparison report");

        Assert.That(e.Message, Does.Contain("an array, not an object"));
    }

    [Test]
    public void Write_Text_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var output = new StringWriter { NewLine = "\n" };
        ComparisonText.Write(output, Rows, Report.Baseline, "endpoint");

        GoldenFile.AssertMatches("comparison.txt", Encoding.UTF8.GetBytes(output.ToString()));
    }

    [Test]
    public void Write_Text_BlocksFitIn120ColumnsAndSayTheTest()
    {
        using var output = new StringWriter { NewLine = "\n" };
        ComparisonText.Write(output, Rows, Report.Baseline, "endpoint");
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Length), Has.All.LessThanOrEqualTo(120), output.ToString());
            Assert.That(lines[1], Does.StartWith("Faster or slower means the run differs from the baseline by more than ±5%, beyond reasonable doubt (α = 0.05)"));
            Assert.That(output.ToString(), Does.Contain("Holm–Bonferroni adjusted over\nthe 5 comparisons").And.Contain("Hodges–Lehmann"));
            Assert.That(lines.Single(l => l.StartsWith("GET /slow", StringComparison.Ordinal)), Does.StartWith("GET /slow").And.Contain("1002.35 → 101.23 (-89.9%)").And.Contain("-901.11 ms")
                .And.EndWith("faster"));
            Assert.That(lines, Has.Some.Contains("(-902.50 … -899.75)  p < 0.0001"));
            Assert.That(lines, Has.Some.EqualTo("GET /lagged: inconclusive (corrected: slower; uncorrected: no significant change)"));
            Assert.That(output.ToString(), Does.Contain("Verdicts: 1 faster, 1 slower, 2 no significant change, 1 inconclusive, 1 not enough samples."));
        });
    }

    [Test]
    public void Write_TextControlCharactersInLabel_Escaped()
    {
        using var output = new StringWriter();
        ComparisonText.Write(output, [Rows[0] with { Label = "GET /x\u001b[31m\nforged" }], "base\rline");

        Assert.Multiple(() =>
        {
            Assert.That(output.ToString().Contains('\u001b', StringComparison.Ordinal), Is.False, "no raw ESC"); // NUnit's culture-aware Contain ignores it
            Assert.That(output.ToString(), Does.Contain("GET /x\\x1B[31m\\x0Aforged"));
            Assert.That(output.ToString(), Does.Contain("base\\x0Dline"));
        });
    }

    [Test]
    public void Write_TextNoRows_SaysSo()
    {
        using var output = new StringWriter();
        ComparisonText.Write(output, [], "b");

        Assert.That(output.ToString(), Does.Contain("Nothing to compare"));
    }

    [Test]
    public void AddTo_Rows_SectionTableWithVerdictWordsAndTestSentence()
    {
        var report = new HtmlReport("run");
        ComparisonHtml.AddTo(report, Rows, "reports/<base>.json", "endpoint");
        string html = report.ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<h2>Comparison with baseline</h2>"));
            Assert.That(html, Does.Contain("<table id=\"comparison\">"));
            Assert.That(html, Does.Contain("reports/&lt;base&gt;.json"));
            Assert.That(html, Does.Contain("<td>GET /slow</td><td class=\"num\">200</td><td class=\"num\">200</td>"
                + "<td>1002.35 → 101.23 (-89.9%)</td>"));
            Assert.That(html, Does.Contain("<td>faster</td>").And.Contain("<td>slower</td>")
                .And.Contain("<td>no significant change</td>").And.Contain("<td>not enough samples</td>"));
            Assert.That(html, Does.Contain("by more than ±5%, beyond reasonable doubt (α = 0.05)"));
            Assert.That(html, Does.Contain("<td>-901.11 ms (-902.50 … -899.75), -89.9% (-90.0 … -89.8)</td>"));
            Assert.That(html, Does.Contain("<td>inconclusive (corrected: slower; uncorrected: no significant change)</td>"));
            Assert.That(html, Does.Contain("verdict bad"), "a slower row makes the tally bad");
            Assert.That(html, Does.Contain("GET /empty, &quot;quoted&quot;"));
        });
    }

    [Test]
    public void AddTo_NoRows_SaysSo()
    {
        var report = new HtmlReport("run");
        ComparisonHtml.AddTo(report, [], "b");

        Assert.That(report.ToHtml(), Does.Contain("Nothing to compare").And.Not.Contain("<table"));
    }

    [Test]
    public void WithGate_BeforeThePage_PageShowsTheGatesVerdict()
    {
        var comparison = new RunComparison("base.json", Rows, [], [], "endpoint");
        var failing = new HtmlReport("run");
        var passing = new HtmlReport("run");

        RunComparison gated = comparison.WithGate(10);
        gated.AddTo(failing);
        comparison.WithGate(50).AddTo(passing);

        Assert.Multiple(() =>
        {
            Assert.That(gated.GateFailed, Is.True);
            Assert.That(gated.GateLines, Has.Count.EqualTo(1).And.Some.StartsWith("regression: GET /boards/{id}/posts: p50 20.50 → 26.75 ms (+30.5%), slower (p = 0.0002)"));
            Assert.That(failing.ToHtml(), Does.Contain("Regression gate failed: regression: GET /boards/{id}/posts"));
            Assert.That(passing.ToHtml(), Does.Contain("Regression gate passed: no endpoint significantly slower with its p50 up more than 50%"));
            Assert.That(comparison.WithGate(null), Is.SameAs(comparison));
        });
    }
}
