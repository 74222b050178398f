using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;
using PerfTools.Tests.Tracing;

namespace PerfTools.Tests.BottleneckDetector.TraceRules;

/// <summary>The trace rules over real traces from ../shared/fixtures/jaeger (beside the repository, never copied into it).</summary>
public class TraceRulesConformanceTests
{
    private const string HotrodDispatch = "hotrod_dispatch_trace_4376effce3c2d72d.json";
    private const string PetclinicNPlusOne = "jaegerui_nplus1_jdbc_petclinic_trace.json";

    private string _dir = "";

    [SetUp]
    public void FindFixtures()
    {
        _dir = Fakes.RepositoryRoot.RequireSharedFixtures("jaeger", "conformance tests");
    }

    private Trace Load(string name) => JaegerV1Parser.Parse(File.ReadAllText(Path.Combine(_dir, name))).Single();

    private List<Finding> Evaluate(string name)
    {
        var trace = Load(name);
        var findings = PerfTools.BottleneckDetector.Rules.TraceRules.All.SelectMany(r => r.Evaluate(trace, TraceRuleContext.Default)).ToList();
        foreach (var f in findings)
        {
            TestContext.Out.WriteLine($"{f.Rule} {f.Severity} [{f.Target}] {f.Value} {f.Unit} (>= {f.Threshold}) | {f.Evidence} | {f.Recommendation}");
        }

        return findings;
    }

    [Test]
    public void HotrodDispatch_RedisGetDriver_ThirteenRepeatedCalls()
    {
        var repeated = Evaluate(HotrodDispatch).Where(f => f.Rule == "repeated_calls").ToList();

        Assert.That(repeated, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(repeated[0].Target, Is.EqualTo("redis: GetDriver"));
            Assert.That(repeated[0].Value, Is.EqualTo(13));
            Assert.That(repeated[0].Evidence, Does.StartWith("trace 00000000000000004376effce3c2d72d spans "));
            Assert.That(repeated[0].Recommendation, Does.Contain("under /driver.DriverService/FindNearest"));
        });
    }

    [Test]
    public void HotrodDispatch_RouteCalls_ParallelSoNotRepeated()
    {
        var found = RepeatedCallDetector.Find(Load(HotrodDispatch), minCount: 2, minUnionMs: 0);

        Assert.That(found.Where(r => r.Operation.Contains("route", StringComparison.OrdinalIgnoreCase)), Is.Empty,
            "10 /route calls at most 3 at a time: each overlaps the one before, even at a minimum of 2");
    }

    [Test]
    public void HotrodDispatch_MysqlSelect_CriticalPathShareAboveThirtyPercent()
    {
        var findings = Evaluate(HotrodDispatch);
        var critical = findings.Where(f => f.Rule == "critical_path").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(critical, Has.Count.EqualTo(1));
            Assert.That(critical[0].Target, Is.EqualTo("mysql: SQL SELECT"));
            Assert.That(critical[0].Value, Is.EqualTo(388.307 / 786.778).Within(1e-3));
            Assert.That(findings.Where(f => f.Rule == "slow_trace").Select(f => f.Value).Single(), Is.EqualTo(786.778).Within(1e-9));
            Assert.That(findings.Where(f => f.Rule == "slow_db_query"), Is.Empty, "388 ms is under 500 ms");
        });
    }

    [Test]
    public void HotrodDispatch_CriticalPath_CoversTheRootExactly()
    {
        var path = CriticalPath.Compute(Load(HotrodDispatch));

        Assert.That(path.Segments.Sum(s => s.DurationMicros) / 1000.0, Is.EqualTo(path.TotalMs).Within(1e-9));
    }

    [Test]
    public void Petclinic_ExecuteQueryRepeats_OverlappingAndUnderFiftyMs_NoRepeatedCalls()
    {
        var trace = Load(PetclinicNPlusOne);
        var findings = Evaluate(PetclinicNPlusOne);
        var anyLength = RepeatedCallDetector.Find(trace, minCount: 5, minUnionMs: 0);

        Assert.Multiple(() =>
        {
            // The whole trace is 3.7 ms: its 14 JDBC calls cover well under the 50 ms a finding needs.
            Assert.That(findings.Where(f => f.Rule == "repeated_calls"), Is.Empty);
            Assert.That(findings.Where(f => f.Rule == "slow_trace"), Is.Empty);
            // Nor is there a sequence even without the 50 ms floor: the edited upstream timings overlap (e.g. a
            // 31 µs call still running when the next starts 5 µs later), so the calls read as parallel.
            Assert.That(anyLength, Is.Empty);
            // What is true of so short a trace: the two GET /owners spans' own time dominates its critical path.
            Assert.That(findings.Where(f => f.Rule == "critical_path").Select(f => f.Target),
                Is.EqualTo(new[] { "customers-service: GET /owners", "api-gateway: GET /owners" }));
        });
    }
}
