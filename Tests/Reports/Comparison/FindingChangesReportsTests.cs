using System.Text;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Reports.Detector;

namespace PerfTools.Tests.Reports.Comparison;

/// <summary><c>bottleneck_comparison_*.json</c> and <c>.csv</c>: written, read back, compared with golden files, and
/// damaged files refused with one line.</summary>
public class FindingChangesReportsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("perftools-comparison-reports-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>The findings report sample as the baseline, and a later run where the N+1 got better, the slow endpoint
    /// remained, the memory growth went away, an error rate is new and Jaeger (hence slow_trace) was not reachable.</summary>
    internal static FindingChanges Sample()
    {
        DetectionSummary baseline = DetectorReportsTests.Sample() with
        {
            Jaeger = new SourceStatus("http://127.0.0.1:16686", true, "v3"),
            Findings =
            [
                .. DetectorReportsTests.Sample().Findings,
                new Finding("slow_trace", Severity.Warning, "forum-api: GET /slow", 812.5, "ms", 500, "trace 4bf92f3577b34da6a3ce929d0e0e4736", "Profile it."),
            ],
        };
        var current = new DetectionSummary(
            new DateTimeOffset(2026, 11, 25, 13, 45, 0, TimeSpan.Zero), null, "5m",
            new SourceStatus("http://127.0.0.1:9090", true, "2.42.0"), new Dictionary<string, string>(),
            new SourceStatus("http://127.0.0.1:16686", false, null, "connection refused"),
            [
                new Finding("slow_endpoint", Severity.Critical, "GET /slow", 1047.0000004, "ms", 500, "q", "r"),
                new Finding("n_plus_one", Severity.Warning, "/boards/{id}/posts", 11, "queries/request", 10, "q, \"quoted\"", "r"),
                new Finding("n_plus_one", Severity.Warning, "/boards/{id}/posts", 12, "queries/request", 10, "q", "r"),
                new Finding("error_rate", Severity.Warning, "POST /posts, \"new\"", 0.125, "ratio", 0.05, "q", "r"),
            ]);
        return FindingChanges.Compare(baseline, "reports/bottleneck_findings_20261125_123015.json", current,
            checkedBefore: _ => true, checkedNow: rule => rule != "slow_trace");
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void JsonAndCsv_RoundTrip_KeepEveryField(string culture)
    {
        using var scope = new CultureScope(culture);
        FindingChanges sample = Sample();
        var paths = DetectorReportPaths.ForRun(_folder, sample.GeneratedAt);

        FindingChangesJson.WriteFile(paths.ComparisonJson, sample);
        FindingChangesCsv.WriteFile(paths.ComparisonCsv, sample.Changes);
        FindingChanges json = FindingChangesJson.ReadFile(paths.ComparisonJson);
        IReadOnlyList<FindingChange> csv = FindingChangesCsv.ReadFile(paths.ComparisonCsv);

        Assert.Multiple(() =>
        {
            Assert.That(sample.Changes.Select(c => c.Status), Is.EqualTo(new[]
            {
                FindingStatus.New, FindingStatus.Remaining, FindingStatus.Remaining, FindingStatus.Gone, FindingStatus.NotChecked,
            }), "the sample has every status");
            Assert.That(json with { Changes = [] }, Is.EqualTo(sample with { Changes = [] }));
            Assert.That(json.Changes, Is.EqualTo(Rounded(sample.Changes)));
            Assert.That(csv, Is.EqualTo(Rounded(sample.Changes)));
            Assert.That(paths.ComparisonJson, Does.EndWith("bottleneck_comparison_20261125_134500.json"));
        });
    }

    [Test]
    public void Json_DecimalCommaCulture_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();

        FindingChangesJson.Write(stream, Sample());

        GoldenFile.AssertMatches("bottleneck_comparison.json", stream.ToArray());
    }

    [Test]
    public void Csv_DecimalCommaCulture_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();

        FindingChangesCsv.Write(stream, Sample().Changes);

        GoldenFile.AssertMatches("bottleneck_comparison.csv", stream.ToArray());
    }

    [Test]
    public void Json_Shape_HasTheDocumentedKeysAndDerivedChange()
    {
        using var stream = new MemoryStream();
        FindingChangesJson.Write(stream, Sample());

        var root = JObject.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        var remaining = (JObject)root["changes"]!.First(c => (string?)c["rule"] == "slow_endpoint");

        Assert.Multiple(() =>
        {
            Assert.That(root.Properties().Select(p => p.Name), Is.EqualTo(new[] { "generated_at", "evaluated_at", "window", "baseline", "counts", "changes" }));
            Assert.That(remaining.Properties().Select(p => p.Name), Is.EqualTo(new[]
            {
                "status", "rule", "target", "unit", "severity_before", "severity_after", "value_before", "value_after",
                "change", "change_pct", "count_before", "count_after",
            }));
            Assert.That((double)remaining["change"]!, Is.EqualTo(1047 - 523.456789).Within(1e-6));
            Assert.That((double)remaining["change_pct"]!, Is.EqualTo((1047 - 523.456789) / 523.456789 * 100).Within(1e-5));
            Assert.That(root["counts"]!.ToString(Newtonsoft.Json.Formatting.None),
                Is.EqualTo("{\"new\":1,\"remaining\":2,\"gone\":1,\"not_checked\":1}"));
        });
    }

    [TestCase("\"status\": \"new\"", "\"status\": \"fixed\"", "'changes[0].status': unknown status 'fixed'")]
    [TestCase("\"severity_after\": \"warning\"", "\"severity_after\": 2", "'changes[0].severity_after' is a number, not text")]
    [TestCase("\"count_after\": 1", "\"count_after\": -1", "'changes[0].count_after' is a number, not a count")]
    [TestCase("\"count_after\": 1", "\"count_after\": 1.5", "'changes[0].count_after' is a number, not a count")]
    [TestCase("\"value_after\": 0.125", "\"value_after\": \"0.125\"", "'changes[0].value_after' is text, not a number")]
    [TestCase("\"changes\": [", "\"changes\": 3, \"x\": [", "'changes' is not an array")]
    [TestCase("\"file\": \"reports", "\"file\": null, \"f\": \"", "'baseline.file' is missing")]
    [TestCase("\"generated_at\": \"2026", "\"generated_at\": \"x2026", "'generated_at' is not a time")]
    public void Json_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        FindingChangesJson.Write(stream, Sample());
        string text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => FindingChangesJson.Read(s), "findings comparison");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [TestCase("new,error_rate", "old,error_rate", "row 1: unknown status 'old'")]
    [TestCase(",,warning,", ",,grave,", "row 1: unknown severity 'grave'")]
    [TestCase(",1,1\r\n", ",1,x\r\n", "row 2:")]
    [TestCase(",0,1\r\n", ",-1,1\r\n", "row 1:")]
    [TestCase("status,", "state,", "status")]
    public void Csv_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        FindingChangesCsv.Write(stream, Sample().Changes);
        string text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => FindingChangesCsv.Read(s), "findings comparison CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }

    /// <summary>The files keep 6 decimals, as the findings report does.</summary>
    private static IEnumerable<FindingChange> Rounded(IEnumerable<FindingChange> changes) => changes.Select(c => c with
    {
        ValueBefore = c.ValueBefore is { } b ? Math.Round(b, 6) : null,
        ValueAfter = c.ValueAfter is { } a ? Math.Round(a, 6) : null,
    });
}
