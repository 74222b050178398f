using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary><c>--baseline</c>: the file or folder is checked before anything is asked, and a run lists which findings
/// are new, remaining and gone, on the console and in <c>bottleneck_comparison_&lt;ts&gt;.json</c> and <c>.csv</c>.</summary>
public class DetectorBaselineTests
{
    private static readonly Finding SlowBefore = new("slow_endpoint", Severity.Critical, "GET /slow", 1200, "ms", 500, "q", "Profile GET /slow.");
    private static readonly Finding SlowAfter = SlowBefore with { Severity = Severity.Warning, Value = 600 };
    private static readonly Finding NPlusOne = new("n_plus_one", Severity.Warning, "GET /boards/{id}/posts", 22, "queries/request", 10, "q", "Batch it.");
    private static readonly Finding ErrorRate = new("error_rate", Severity.Warning, "POST /posts", 0.125, "ratio", 0.05, "q", "Look at the 5xx.");
    private static readonly Finding SlowTrace = new("slow_trace", Severity.Critical, "forum-api: GET /slow", 1520.25, "ms", 500, "trace 4bf92f3577b34da6a3ce929d0e0e4736", "Open it.");

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("bd-baseline-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A findings report as an earlier run would have written it, both sources reachable.</summary>
    private string Baseline(string name, params Finding[] findings)
    {
        string path = Path.Combine(_folder, name);
        FindingsJson.WriteFile(path, new DetectionSummary(
            new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), null, "5m",
            new SourceStatus("http://127.0.0.1:9090/", true, "2.53.0"), new Dictionary<string, string>(),
            new SourceStatus("http://127.0.0.1:16686/", true, "v3"), findings));
        return path;
    }

    private static FakeMetricsAnalyzer Metrics(params Finding[] findings) => new(FakeMetricsAnalyzer.Reachable(findings));

    private static FakeTracesAnalyzer Traces(params Finding[] findings) => new(FakeTracesAnalyzer.Reachable(findings));

    [Test]
    public async Task RunAsync_Baseline_ConsoleSectionAndComparisonFilesWithTheRunsTimestamp()
    {
        string baseline = Baseline("bottleneck_findings_20261125_120000.json", SlowBefore, NPlusOne);

        using var run = await DetectorRun.StartAsync(Metrics(SlowAfter, ErrorRate), Traces(), "--baseline", baseline);

        string? json = run.Report("bottleneck_comparison_", ".json");
        string? csv = run.Report("bottleneck_comparison_", ".csv");
        string findings = run.Report("bottleneck_findings_", ".json") ?? throw new AssertionException(run.ToString());
        Assert.That(new[] { json, csv }, Has.None.Null, run.ToString());
        FindingChanges comparison = FindingChangesJson.ReadFile(json!);
        Assert.Multiple(() =>
        {
            Assert.That(run.Section("Compared with baseline"), Is.EqualTo(new[]
            {
                $"baseline: {baseline} (evaluated at 2026-11-25T12:00:00Z, window 5m)",
                "1 new, 1 remaining, 1 gone",
                "new        [warning] POST /posts: error_rate 12.5 %",
                "remaining  [critical → warning] GET /slow: slow_endpoint 1200 ms → 600 ms (-600 ms, -50 %)",
                "gone       [warning] GET /boards/{id}/posts: n_plus_one 22 queries/request",
            }), run.ToString());
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), "--fail-on judges this run's findings: no critical one now");
            Assert.That(Path.GetFileName(json), Is.EqualTo(Path.GetFileName(findings).Replace("findings", "comparison", StringComparison.Ordinal)),
                "one timestamp for every file of the run");
            Assert.That(run.Section("Reports"), Has.Some.EndsWith(Path.GetFileName(json!)).And.Some.EndsWith(Path.GetFileName(csv!)));
            Assert.That(comparison.BaselineFile, Is.EqualTo(baseline));
            Assert.That(comparison.Changes.Select(c => (c.Status, c.Rule, c.ValueBefore, c.ValueAfter)), Is.EqualTo(new (FindingStatus, string, double?, double?)[]
            {
                (FindingStatus.New, "error_rate", null, 0.125),
                (FindingStatus.Remaining, "slow_endpoint", 1200, 600),
                (FindingStatus.Gone, "n_plus_one", 22, null),
            }));
            Assert.That(FindingChangesCsv.ReadFile(csv!), Is.EqualTo(comparison.Changes));
        });
    }

    [Test]
    public async Task RunAsync_NoBaseline_NoComparisonSectionOrFiles()
    {
        using var run = await DetectorRun.StartAsync(Metrics(SlowAfter), Traces());

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Not.Contain("Compared with baseline"));
            Assert.That(run.Report("bottleneck_comparison_", ".json"), Is.Null);
            Assert.That(run.Report("bottleneck_comparison_", ".csv"), Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_BaselineFolder_NewestFindingsFileByItsName()
    {
        Baseline("bottleneck_findings_20261125_120000.json", SlowBefore);
        Baseline("bottleneck_findings_20261125_120000_2.json", SlowBefore);
        string newest = Baseline("bottleneck_findings_20261125_120000_10.json", NPlusOne);
        Baseline("bottleneck_findings_20261124_235959_99.json", SlowBefore);
        Baseline("bottleneck_findings_renamed.json", SlowBefore); // not a run's name: not considered
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "bottleneck_findings_20261125_120000.json"), DateTime.UtcNow.AddDays(1));

        using var run = await DetectorRun.StartAsync(Metrics(), Traces(), "--baseline", _folder);

        Assert.Multiple(() =>
        {
            Assert.That(run.Section("Compared with baseline")[0], Does.StartWith($"baseline: {newest} "), run.ToString());
            Assert.That(run.Section("Compared with baseline")[1], Is.EqualTo("0 new, 0 remaining, 1 gone"));
        });
    }

    [Test]
    public async Task RunAsync_BaselineIsTheOutputFolder_ThePreviousRunNotThisOne()
    {
        // The usual loop: run, fix, run again with --baseline pointing at the same reports folder.
        using var first = await DetectorRun.StartAsync(Metrics(SlowBefore), Traces(), "--output", _folder);
        using var second = await DetectorRun.StartAsync(Metrics(SlowAfter), Traces(), "--output", _folder, "--baseline", _folder);

        Assert.That(second.Section("Compared with baseline"), Has.Some.Contains("1200 ms → 600 ms"), second.ToString());
    }

    [TestCase(new[] { "critical" }, new string[0], ExitCodes.Ok, TestName = "RunAsync_BaselineCriticalNowNone_Exit0")]
    [TestCase(new string[0], new[] { "critical" }, ExitCodes.Failed, TestName = "RunAsync_BaselineNoneNowCritical_Exit1")]
    [TestCase(new[] { "critical" }, new[] { "critical" }, ExitCodes.Failed, TestName = "RunAsync_CriticalRemaining_Exit1")]
    public async Task RunAsync_BaselineGiven_ExitCodeFromThisRunsFindings(string[] before, string[] now, int expected)
    {
        string baseline = Baseline("bottleneck_findings_20261125_120000.json", before.Length > 0 ? [SlowBefore] : []);

        using var run = await DetectorRun.StartAsync(Metrics(now.Length > 0 ? [SlowBefore] : []), Traces(), "--baseline", baseline);

        Assert.That(run.ExitCode, Is.EqualTo(expected), run.ToString());
    }

    [Test]
    public async Task RunAsync_JaegerDownNow_BaselineTraceFindingsNotCheckedNotGone()
    {
        string baseline = Baseline("bottleneck_findings_20261125_120000.json", SlowBefore, SlowTrace);

        using var run = await DetectorRun.StartAsync(Metrics(SlowBefore), new FakeTracesAnalyzer(FakeTracesAnalyzer.Unreachable()), "--baseline", baseline);

        Assert.Multiple(() =>
        {
            Assert.That(run.Section("Compared with baseline"), Has.Some.EqualTo(
                "not checked  [critical] forum-api: GET /slow: slow_trace 1520.25 ms (only in the baseline: this run could not check it)"), run.ToString());
            Assert.That(run.Section("Compared with baseline")[1], Is.EqualTo("0 new, 1 remaining, 0 gone, 1 not checked"));
        });
    }

    [Test]
    public async Task RunAsync_BaselineFileFromElsewhere_ItsTextEscapedOnTheConsole()
    {
        // A baseline is a file from disk: a target with an escape sequence must not reach the terminal.
        string baseline = Baseline("bottleneck_findings_20261125_120000.json", SlowBefore with { Target = "GET /x\u001b[2J\nforged line" });

        using var run = await DetectorRun.StartAsync(Metrics(), Traces(), "--baseline", baseline);

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout.Contains('\e', StringComparison.Ordinal), Is.False, "no escape character reaches the terminal");
            Assert.That(run.Section("Compared with baseline"), Has.Some.Contains("GET /x\\x1B[2J\\x0Aforged line: slow_endpoint"), run.ToString());
        });
    }

    private static IEnumerable<TestCaseData> BadBaselines()
    {
        yield return new TestCaseData("missing.json", null, "(no such file or folder)").SetName("RunAsync_BaselineMissing_Exit2");
        yield return new TestCaseData("bottleneck_findings_20261125_120000.json", "not json", "(findings report: not JSON").SetName("RunAsync_BaselineNotJson_Exit2");
        yield return new TestCaseData("bottleneck_findings_20261125_120000.json", "{\"findings\": 3}", "(findings report: 'prometheus' is not an object)")
            .SetName("RunAsync_BaselineOtherJson_Exit2");
        yield return new TestCaseData("", null, "(there is none in that folder)").SetName("RunAsync_BaselineFolderWithoutFindings_Exit2");
        yield return new TestCaseData("", "[]", "bottleneck_findings_20261125_120000.json: findings report: an array, not an object)")
            .SetName("RunAsync_BaselineFolderNewestDamaged_Exit2NamesTheFile");
    }

    [TestCaseSource(nameof(BadBaselines))]
    public async Task RunAsync_BadBaseline_Exit2OneLineNothingAsked(string name, string? content, string why)
    {
        if (content is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, "bottleneck_findings_20261125_120000.json"), content);
        }

        string value = name.Length == 0 ? _folder : Path.Combine(_folder, name);
        var metrics = Metrics(SlowAfter);
        var traces = Traces();

        using var run = await DetectorRun.StartAsync(metrics, traces, "--baseline", value);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.Stderr, Does.StartWith($"bottleneck_detector: --baseline '{value}': {BaselineFile.Allowed} "));
            Assert.That(run.Stderr, Does.Contain(why));
            Assert.That(metrics.Calls + traces.Calls, Is.Zero, "nothing is asked before every option is valid");
            Assert.That(run.Stdout, Is.Empty);
        });
    }

    [Test]
    public void Newest_SuffixesCompareAsNumbers()
    {
        foreach (string name in new[] { "bottleneck_findings_20261125_120000_9.json", "bottleneck_findings_20261125_120000_10.json", "bottleneck_findings_20261125_120000.json" })
        {
            File.WriteAllText(Path.Combine(_folder, name), "{}");
        }

        Assert.That(Path.GetFileName(BaselineFile.Newest(_folder)), Is.EqualTo("bottleneck_findings_20261125_120000_10.json"));
    }
}
