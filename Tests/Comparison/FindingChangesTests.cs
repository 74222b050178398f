using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;


namespace PerfTools.Tests.Comparison;

/// <summary>Matching a detector run's findings with its baseline's: new, gone, remaining and not checked.</summary>
public class FindingChangesTests
{
    private static readonly DateTimeOffset Before = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset After = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);

    private static Finding F(string rule, Severity severity, string target, double value, string unit = "ms") =>
        new(rule, severity, target, value, unit, 500, "evidence", "recommendation");

    private static DetectionSummary Run(DateTimeOffset at, params Finding[] findings) => new(
        at, null, "5m", new SourceStatus("http://127.0.0.1:9090/", true), new Dictionary<string, string>(),
        new SourceStatus("http://127.0.0.1:16686/", true, "v3"), findings);

    private static FindingChanges Compare(DetectionSummary baseline, DetectionSummary current) =>
        FindingChanges.Compare(baseline, "before.json", current, _ => true, _ => true);

    [Test]
    public void Compare_OneOfEach_StatusesValuesAndOrder()
    {
        var baseline = Run(Before,
            F("slow_endpoint", Severity.Critical, "GET /slow", 1200),
            F("n_plus_one", Severity.Warning, "GET /boards/{id}/posts", 22, "queries/request"));
        var current = Run(After,
            F("slow_endpoint", Severity.Warning, "GET /slow", 600),
            F("error_rate", Severity.Warning, "POST /posts", 0.125, "ratio"));

        var changes = Compare(baseline, current);

        Assert.Multiple(() =>
        {
            Assert.That(changes.Changes.Select(c => (c.Status, c.Rule)), Is.EqualTo(new[]
            {
                (FindingStatus.New, "error_rate"), (FindingStatus.Remaining, "slow_endpoint"), (FindingStatus.Gone, "n_plus_one"),
            }));
            var remaining = changes.Changes[1];
            Assert.That(remaining, Is.EqualTo(new FindingChange(
                FindingStatus.Remaining, "slow_endpoint", "GET /slow", "ms", Severity.Critical, Severity.Warning, 1200, 600, 1, 1)));
            Assert.That(remaining.Change, Is.EqualTo(-600));
            Assert.That(remaining.ChangePercent, Is.EqualTo(-50));
            Assert.That(changes.Changes[0].SeverityBefore, Is.Null);
            Assert.That(changes.Changes[0].Change, Is.Null);
            Assert.That(changes.Changes[2].ValueAfter, Is.Null);
            Assert.That(changes.Changes[2].CountAfter, Is.Zero);
            Assert.That(changes.BaselineGeneratedAt, Is.EqualTo(Before));
            Assert.That(changes.GeneratedAt, Is.EqualTo(After));
            Assert.That(changes.Count(FindingStatus.Gone), Is.EqualTo(1));
        });
    }

    [Test]
    public void Compare_SameRuleAndTargetSeveralTimes_OneRowWorstValueCounted()
    {
        // One slow_trace per slow trace analysed: the row stands for the worst and counts them.
        var baseline = Run(Before,
            F("slow_trace", Severity.Warning, "forum-api: GET /slow", 700),
            F("slow_trace", Severity.Critical, "forum-api: GET /slow", 1100),
            F("slow_trace", Severity.Critical, "forum-api: GET /slow", 1050));
        var current = Run(After, F("slow_trace", Severity.Warning, "forum-api: GET /slow", 650));

        var row = Compare(baseline, current).Changes.Single();

        Assert.That(row, Is.EqualTo(new FindingChange(
            FindingStatus.Remaining, "slow_trace", "forum-api: GET /slow", "ms", Severity.Critical, Severity.Warning, 1100, 650, 3, 1)));
    }

    [Test]
    public void Compare_SameRuleAndTargetOtherUnit_NotMatched()
    {
        // high_memory is a ratio of the limit when one is exported, else bytes: the two values are not comparable.
        var baseline = Run(Before, F("high_memory", Severity.Warning, "forum-api", 0.85, "ratio"));
        var current = Run(After, F("high_memory", Severity.Warning, "forum-api", 2e9, "bytes"));

        var changes = Compare(baseline, current).Changes;

        Assert.That(changes.Select(c => (c.Status, c.Unit)), Is.EqualTo(new[] { (FindingStatus.New, "bytes"), (FindingStatus.Gone, "ratio") }));
    }

    [Test]
    public void Compare_SourceNotCheckedOnOneSide_NeitherNewNorGone()
    {
        var baseline = Run(Before, F("slow_trace", Severity.Critical, "forum-api: GET /slow", 1100));
        var current = Run(After, F("slow_endpoint", Severity.Critical, "GET /slow", 1200));

        // The baseline's Prometheus was down (no slow_endpoint checked then), this run's Jaeger is (no slow_trace now).
        var changes = FindingChanges.Compare(baseline, "before.json", current,
            checkedBefore: rule => rule != "slow_endpoint", checkedNow: rule => rule != "slow_trace").Changes;

        Assert.That(changes.Select(c => (c.Status, c.Rule)), Is.EqualTo(new[]
        {
            (FindingStatus.NotChecked, "slow_endpoint"), (FindingStatus.NotChecked, "slow_trace"),
        }));
    }

    [Test]
    public void Compare_IdenticalRuns_AllRemainingWithoutChange()
    {
        var findings = new[] { F("slow_endpoint", Severity.Critical, "GET /slow", 1200), F("memory_growth", Severity.Info, "forum-api", 2048, "bytes/s") };

        var changes = Compare(Run(Before, findings), Run(After, findings)).Changes;

        Assert.That(changes, Has.All.Matches<FindingChange>(c => c.Status == FindingStatus.Remaining && c.Change == 0 && c.ChangePercent == 0));
        Assert.That(changes.Select(c => c.Rule), Is.EqualTo(new[] { "slow_endpoint", "memory_growth" }), "most severe first");
    }

    [Test]
    public void ChangePercent_ValueBeforeZero_Null()
    {
        var change = new FindingChange(FindingStatus.Remaining, "r", "t", "ms", Severity.Info, Severity.Info, 0, 5, 1, 1);

        Assert.That(change.Change, Is.EqualTo(5));
        Assert.That(change.ChangePercent, Is.Null);
    }

    [Test]
    public void Compare_NoFindingsEitherSide_Empty()
    {
        Assert.That(Compare(Run(Before), Run(After)).Changes, Is.Empty);
    }
}
