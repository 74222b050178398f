using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Detector;

namespace PerfTools.Tests.Reports.Detector;

public class DetectorReportsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("perftools-detector-reports-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    internal static DetectionSummary Sample() => new(
        new DateTimeOffset(2026, 11, 25, 12, 30, 15, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
        "5m",
        new SourceStatus("http://127.0.0.1:9090", true, "2.42.0"),
        new Dictionary<string, string> { ["latency"] = "http_request_duration_seconds by endpoint" },
        new SourceStatus("http://127.0.0.1:16686", false, null, "connection refused"),
        [
            new Finding("slow_endpoint", Severity.Critical, "GET /slow", 523.4567891, "ms", 500,
                "histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))",
                "Profile /slow; the estimate is bounded by the bucket edges 500 ms and 1000 ms.")
            {
                NextSteps =
                [
                    "measure it directly: ./performance_analyzer --base-url http://127.0.0.1:8080 --endpoint '/slow' --iterations 50",
                    "a step with \"quotes\", a tab\tand ünïcödé",
                ],
            },
            new Finding("n_plus_one", Severity.Warning, "/boards/{id}/posts", 22, "queries/request", 10,
                "evidence with \"quotes\", commas,\nand a line break", "Batch the per-post query into one JOIN."),
            new Finding("memory_growth", Severity.Info, "forum-api", 1234.5, "bytes/s", null, "deriv(...)", "Watch it."),
        ]);

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void FindingsJsonAndCsv_RoundTrip_KeepEveryField(string culture)
    {
        using var scope = new CultureScope(culture);
        var summary = Sample();
        var paths = DetectorReportPaths.ForRun(_folder, summary.GeneratedAt);

        FindingsJson.WriteFile(paths.Json, summary);
        FindingsCsv.WriteFile(paths.Csv, summary.Findings);
        var json = FindingsJson.ReadFile(paths.Json);
        var csv = FindingsCsv.ReadFile(paths.Csv);

        Assert.That(json.Findings, Has.Count.EqualTo(3));
        Assert.That(json.Findings[0] with { Value = 0 }, Is.EqualTo(summary.Findings[0] with { Value = 0 }));
        Assert.That(json.Findings[0].Value, Is.EqualTo(523.456789).Within(1e-9));
        Assert.That(json.Findings[1], Is.EqualTo(summary.Findings[1]));
        Assert.That(json.Findings[2].Threshold, Is.Null);
        Assert.That(json.Prometheus, Is.EqualTo(summary.Prometheus));
        Assert.That(json.Jaeger, Is.EqualTo(summary.Jaeger));
        Assert.That(json.Discovered, Is.EqualTo(summary.Discovered));
        Assert.That(json.EvaluatedAt, Is.EqualTo(summary.EvaluatedAt));
        Assert.That(csv[1], Is.EqualTo(summary.Findings[1]));
        Assert.That(csv[0].Value, Is.EqualTo(523.456789).Within(1e-9));
    }

    [Test]
    public void FindingsJson_DecimalCommaCulture_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();

        FindingsJson.Write(stream, Sample());

        GoldenFile.AssertMatches("findings.json", stream.ToArray());
    }

    [TestCase(SourceState.Reachable, null)]
    [TestCase(SourceState.Unreachable, "connection refused")]
    [TestCase(SourceState.Interrupted, "interrupted after 3 of 8 rules")]
    [TestCase(SourceState.InterruptedBeforeAnswer, "interrupted before it answered")]
    [TestCase(SourceState.AnalysisFailed, "InvalidOperationException: boom")]
    public void FindingsJson_EveryState_RoundTrips(SourceState state, string? message)
    {
        var summary = Sample() with { Prometheus = new SourceStatus("http://127.0.0.1:9090", state, "2.42.0", message) };
        using var stream = new MemoryStream();
        FindingsJson.Write(stream, summary);
        stream.Position = 0;

        var read = FindingsJson.Read(stream);

        Assert.That(read.Prometheus, Is.EqualTo(summary.Prometheus));
        Assert.That(read.Prometheus.Reachable, Is.EqualTo(state is SourceState.Reachable or SourceState.Interrupted));
    }

    /// <summary>A <c>--baseline</c> may be a file written before <c>state</c> and <c>next_steps</c> existed: it still reads,
    /// each source's state told from what those versions wrote.</summary>
    [TestCase(true, null, SourceState.Reachable)]
    [TestCase(true, "interrupted after 3 of 8 rules", SourceState.Interrupted)]
    [TestCase(true, "forum-api: bad answer", SourceState.Reachable)]
    [TestCase(false, "connection refused", SourceState.Unreachable)]
    [TestCase(false, "interrupted before it answered", SourceState.InterruptedBeforeAnswer)]
    [TestCase(false, "analysis failed: InvalidOperationException: boom", SourceState.AnalysisFailed)]
    public void FindingsJson_OlderFileWithoutStateOrSteps_Reads(bool reachable, string? message, SourceState expected)
    {
        var source = new JObject { ["url"] = "http://127.0.0.1:9090", ["reachable"] = reachable, ["version"] = "2.42.0", ["message"] = message };
        var older = new JObject
        {
            ["generated_at"] = "2026-11-25T12:30:15+00:00",
            ["evaluated_at"] = null,
            ["window"] = "5m",
            ["prometheus"] = source,
            ["jaeger"] = new JObject { ["url"] = "http://127.0.0.1:16686", ["reachable"] = true, ["api"] = "v3", ["message"] = null },
            ["findings"] = new JArray(new JObject
            {
                ["rule"] = "slow_endpoint", ["severity"] = "warning", ["target"] = "GET /slow", ["value"] = 612.5, ["unit"] = "ms",
                ["threshold"] = 500, ["evidence"] = "histogram_quantile(…)", ["recommendation"] = "Profile it.",
            }),
        };
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(older.ToString()));

        var read = FindingsJson.Read(stream);

        Assert.That(read.Prometheus.State, Is.EqualTo(expected));
        Assert.That(read.Jaeger.State, Is.EqualTo(SourceState.Reachable));
        Assert.That(read.Findings.Single().NextSteps, Is.Empty);
        Assert.That(read.Findings.Single(), Is.EqualTo(new Finding("slow_endpoint", Severity.Warning, "GET /slow", 612.5, "ms", 500, "histogram_quantile(…)", "Profile it.")));
    }

    [Test]
    public void FindingsJson_Shape_HasTheDocumentedKeys()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        FindingsJson.Write(stream, Sample());

        var root = JObject.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));

        Assert.That(root.Properties().Select(p => p.Name),
            Is.SupersetOf(new[] { "generated_at", "prometheus", "jaeger", "findings" }));
        Assert.That(((JObject)root["prometheus"]!).Properties().Select(p => p.Name),
            Is.SupersetOf(new[] { "url", "reachable", "discovered" }));
        Assert.That(((JObject)root["jaeger"]!).Properties().Select(p => p.Name), Is.SupersetOf(new[] { "url", "reachable", "state", "api" }));
        Assert.That((string?)root["jaeger"]!["state"], Is.EqualTo("unreachable"));
        var finding = (JObject)root["findings"]![0]!;
        Assert.That(finding.Properties().Select(p => p.Name), Is.EquivalentTo(new[]
        {
            "rule", "severity", "target", "value", "unit", "threshold", "evidence", "recommendation", "next_steps",
        }));
        Assert.That((string?)finding["severity"], Is.EqualTo("critical"));
        Assert.That(finding["next_steps"]!.Values<string>(), Is.EqualTo(Sample().Findings[0].NextSteps));
        Assert.That(finding["value"]!.Type, Is.EqualTo(JTokenType.Float));
    }

    [Test]
    public void FindingsJson_NotAReport_ThrowsInvalidData()
    {
        using var stream = new MemoryStream("{\"findings\": 3}"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => FindingsJson.Read(stream));
    }

    [Test]
    public void DetectorReportPaths_SameSecondTwice_SecondSetGetsSuffix()
    {
        var at = new DateTimeOffset(2026, 11, 25, 12, 30, 15, TimeSpan.Zero);
        var first = DetectorReportPaths.ForRun(_folder, at);
        DetectorReportPaths.WriteText(first.Text, "report\n");

        var second = DetectorReportPaths.ForRun(_folder, at);

        Assert.That(first.Text, Does.EndWith("bottleneck_report_20261125_123015.txt"));
        Assert.That(second.Timestamp, Is.EqualTo("20261125_123015_2"));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    // Regressions found by the parser fuzz: these threw InvalidOperationException, OverflowException or gave a two-line message.
    [TestCase("\"findings\": [\n    {", "\"findings\": [\"\\u0000\", {", "'findings[0]' is text, not an object")]
    [TestCase("\"reachable\": true", "\"reachable\": -9223372036854775809", "'prometheus.reachable' is not true or false")]
    [TestCase("\"reachable\": true", "\"reachable\": \"line\\nbreak\"", "'prometheus.reachable' is not true or false")]
    [TestCase("\"severity\": \"critical\"", "\"severity\": \"2\"", "'findings[0].severity': unknown severity '2'")]
    [TestCase("\"generated_at\": \"2026", "\"generated_at\": \"x2026", "'generated_at' is not a time")]
    [TestCase("\"value\": 523.456789", "\"value\": {}", "'findings[0].value' is an object, not a number")]
    [TestCase("\"measure it directly", "3, \"measure it directly", "'findings[0].next_steps[0]' is a number, not text")]
    [TestCase("\"next_steps\": [\n", "\"next_steps\": \"x\", \"more\": [\n", "'findings[0].next_steps' is text, not an array")]
    [TestCase("\"state\": \"reachable\"", "\"state\": \"up\"", "'prometheus.state': unknown state 'up'")]
    [TestCase("\"state\": \"reachable\"", "\"state\": \"unreachable\"", "'prometheus.state' unreachable contradicts 'reachable' true")]
    public void FindingsJson_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        FindingsJson.Write(stream, Sample());
        var text = DamagedReport.Damage(System.Text.Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => FindingsJson.Read(s), "findings report");

        Assert.That(e.Message, Does.Contain(problem));
    }

    // Regressions found by the parser fuzz: these threw FormatException or KeyNotFoundException.
    [TestCase(",critical,", ",cri234.5,", "row 1: unknown severity 'cri234.5'")]
    [TestCase(",523.456789,", ",Profile /slow,", "row 1:")]
    [TestCase(",unit,", ",un0t,", "unit")]
    public void FindingsCsv_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        FindingsCsv.Write(stream, Sample().Findings);
        var text = DamagedReport.Damage(System.Text.Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => FindingsCsv.Read(s), "findings CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }
}
