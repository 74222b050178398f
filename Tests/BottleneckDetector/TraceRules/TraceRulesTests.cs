using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;
using static PerfTools.Tests.Tracing.TestTraces;

namespace PerfTools.Tests.BottleneckDetector.TraceRules;

public class TraceRulesTests
{
    private static readonly TraceRuleContext Ctx = TraceRuleContext.Default;

    [Test]
    public void All_FourRules_DistinctIds()
    {
        Assert.That(PerfTools.BottleneckDetector.Rules.TraceRules.All.Select(r => r.Id),
            Is.EqualTo(new[] { "slow_trace", "slow_db_query", "repeated_calls", "critical_path" }));
    }

    [TestCase(499.9, 0)]
    [TestCase(500, 1)]
    public void SlowTrace_RootDuration_FindingFromThreshold(double rootMs, int expected)
    {
        var trace = Trace(Span("1", null, "GET /owners", 0, rootMs));

        Assert.That(new SlowTraceRule().Evaluate(trace, Ctx), Has.Count.EqualTo(expected));
    }

    [Test]
    public void SlowTrace_SlowRoot_NamesServiceOperationTimeAndTrace()
    {
        var trace = Trace(Span("1", null, "GET /owners", 0, 1200), Span("2", "1", "SELECT", 10, 900, "forum-db"));

        var finding = new SlowTraceRule().Evaluate(trace, Ctx).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Rule, Is.EqualTo("slow_trace"));
            Assert.That(finding.Severity, Is.EqualTo(Severity.Critical), "2x the threshold or more");
            Assert.That(finding.Target, Is.EqualTo("forum-api: GET /owners"));
            Assert.That(finding.Value, Is.EqualTo(1200));
            Assert.That(finding.Unit, Is.EqualTo("ms"));
            Assert.That(finding.Threshold, Is.EqualTo(500));
            Assert.That(finding.Evidence, Is.EqualTo($"trace {TraceId} spans {Id("1")}"));
            Assert.That(finding.Recommendation, Does.Contain("forum-db SELECT (900 ms)"));
        });
    }

    [Test]
    public void TraceRules_NextSteps_LinkTheTraceInTheGivenJaeger()
    {
        var ctx = Ctx with { JaegerUrl = "https://jaeger.example:16686/" };
        var trace = Under(1200, Queries(10, everyMs: 110, durationMs: 100));

        var findings = PerfTools.BottleneckDetector.Rules.TraceRules.Evaluate([trace], ctx);

        string link = $"https://jaeger.example:16686/trace/{TraceId}";
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Rule).Distinct(), Is.SupersetOf(new[] { "slow_trace", "repeated_calls" }));
            foreach (Finding f in findings)
            {
                Assert.That(f.NextSteps, Has.Some.StartWith($"open trace {TraceId} in Jaeger ({link}) and "), f.Rule);
            }

            Assert.That(findings.First(f => f.Rule == "repeated_calls").NextSteps, Has.Some.EndsWith("batch the repeated statements under one parent"));
        });
    }

    [Test]
    public void SlowDbQuery_TwoSlowCallsOfOneStatement_OneFindingWithTheSlowest()
    {
        var trace = Under(2000, Queries(3, everyMs: 600, durationMs: 550).Append(
            Span("9", "1", "SELECT", 1900, 499, "forum-db", new Dictionary<string, string> { ["db.statement"] = "SELECT 1" })));
        var slower = trace.Spans[2] with { DurationMicros = 580_000 };
        trace = trace with { Spans = [.. trace.Spans.Select(s => s.SpanId == slower.SpanId ? slower : s)] };

        var finding = new SlowDbQueryRule().Evaluate(trace, Ctx).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Target, Is.EqualTo("forum-db: SELECT * FROM pets WHERE owner_id = ?"));
            Assert.That(finding.Value, Is.EqualTo(580));
            Assert.That(finding.Evidence, Does.StartWith($"trace {TraceId} spans {slower.SpanId},"));
            Assert.That(finding.Recommendation, Does.StartWith("3 call(s)"));
        });
    }

    [Test]
    public void RepeatedCalls_NPlusOne_CountTimeParentAndSpans()
    {
        var trace = Under(300, Queries(10, everyMs: 11, durationMs: 10));

        var finding = new RepeatedCallsRule().Evaluate(trace, Ctx).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Rule, Is.EqualTo("repeated_calls"));
            Assert.That(finding.Target, Is.EqualTo("forum-db: SELECT * FROM pets WHERE owner_id = ?"));
            Assert.That(finding.Value, Is.EqualTo(10));
            Assert.That(finding.Unit, Is.EqualTo("calls"));
            Assert.That(finding.Threshold, Is.EqualTo(5));
            Assert.That(finding.Severity, Is.EqualTo(Severity.Warning), "100 ms of a 300 ms trace");
            Assert.That(finding.Evidence, Does.StartWith($"trace {TraceId} spans ").And.Contain(Id("a1")).And.Contain(Id("aa")));
            Assert.That(finding.Recommendation, Does.Contain("10 sequential calls took 100 ms under GET /owners"));
        });
    }

    [Test]
    public void RepeatedCalls_SameCallsInParallel_None()
    {
        var trace = Under(300, Queries(10, everyMs: 1, durationMs: 60));

        Assert.That(new RepeatedCallsRule().Evaluate(trace, Ctx), Is.Empty);
    }

    [Test]
    public void RepeatedCalls_ContextThresholds_Used()
    {
        var trace = Under(300, Queries(4, everyMs: 11, durationMs: 10));

        Assert.That(new RepeatedCallsRule().Evaluate(trace, Ctx with { RepeatedMinCount = 4, RepeatedMinUnionMs = 40 }), Has.Count.EqualTo(1));
    }

    [Test]
    public void CriticalPath_OneChildTakingMostOfThePath_ShareFinding()
    {
        var trace = Trace(Span("1", null, "GET /owners", 0, 100), Span("2", "1", "SELECT", 10, 60, "forum-db"), Span("3", "1", "render", 75, 20));

        var finding = new CriticalPathRule().Evaluate(trace, Ctx).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Rule, Is.EqualTo("critical_path"));
            Assert.That(finding.Target, Is.EqualTo("forum-db: SELECT"));
            Assert.That(finding.Value, Is.EqualTo(0.6).Within(1e-9));
            Assert.That(finding.Unit, Is.EqualTo("ratio"));
            Assert.That(finding.Threshold, Is.EqualTo(0.3));
            Assert.That(finding.Evidence, Is.EqualTo($"trace {TraceId} spans {Id("2")}"));
        });
    }

    [Test]
    public void CriticalPath_NoOperationAtThreshold_None()
    {
        var trace = Trace(Span("1", null, "root", 0, 100),
            Span("2", "1", "a", 0, 25), Span("3", "1", "b", 25, 25), Span("4", "1", "c", 50, 25), Span("5", "1", "d", 75, 25));

        Assert.That(new CriticalPathRule().Evaluate(trace, Ctx), Is.Empty);
    }

    [Test]
    public void Evaluate_ManyTraces_OnlyTheSlowestAnalysed()
    {
        var traces = Enumerable.Range(1, 5).Select(i => new Trace($"{i:x32}",
            [new Span($"{i:x32}", "0000000000000001", null, "forum-api", "GET /", 0, i * 200_000, null, new Dictionary<string, string>(), false)]));

        var findings = PerfTools.BottleneckDetector.Rules.TraceRules.Evaluate(traces, Ctx, slowest: 2)
            .Where(f => f.Rule == "slow_trace").ToList();

        Assert.That(findings.Select(f => f.Value), Is.EqualTo(new[] { 1000.0, 800.0 }));
    }
}
