using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.BottleneckDetector.TraceRules;

/// <summary>connection_pool from traces: the gap before a request's first query, and connect/acquire spans.</summary>
public class ConnectionWaitTraceRuleTests
{
    private static readonly TraceRuleContext Ctx = TraceRuleContext.Default;
    private const long Epoch = 1_700_000_000_000_000;

    private static Span S(string trace, string id, string? parent, string operation, double startMs, double ms, string? kind = null,
        Dictionary<string, string>? tags = null, string service = "forum-api") =>
        new(trace, id.PadLeft(16, '0'), parent?.PadLeft(16, '0'), service, operation, Epoch + (long)(startMs * 1000), (long)(ms * 1000), kind,
            tags ?? [], false);

    private static Dictionary<string, string> Db(string statement) => new() { ["db.system"] = "postgresql", ["db.statement"] = statement };

    /// <summary>A request of <paramref name="totalMs"/> whose only query starts after <paramref name="gapMs"/>.</summary>
    private static Trace Request(string traceId, string route, double totalMs, double gapMs) =>
        new(traceId,
        [
            S(traceId, "1", null, route, 0, totalMs, "server"),
            S(traceId, "2", "1", "SELECT forum", gapMs, 3, "client", Db("SELECT id FROM boards WHERE id = @id")),
        ]);

    private static string Id(int n) => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void GapsOnTwoRoutes_WarningOnEachPointingAtThePool()
    {
        Trace[] traces = [Request(Id(1), "GET /boards/{id}", 700, 650), Request(Id(2), "GET /boards/{id}", 600, 560), Request(Id(3), "GET /slow", 1100, 520)];

        var findings = new ConnectionWaitTraceRule().Evaluate(traces, Ctx);

        Assert.That(findings.Select(f => (f.Target, f.Severity)), Is.EqualTo(new[]
        {
            ("forum-api: GET /boards/{id}", Severity.Warning),
            ("forum-api: GET /slow", Severity.Warning),
        }));
        var boards = findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(boards.Rule, Is.EqualTo("connection_pool"));
            Assert.That((boards.Value, boards.Unit, boards.Threshold), Is.EqualTo((650.0, "ms", (double?)100)));
            Assert.That(boards.Evidence, Is.EqualTo($"trace {Id(1)} spans {"1".PadLeft(16, '0')},{"2".PadLeft(16, '0')}"));
            Assert.That(boards.Recommendation, Does.StartWith("GET /boards/{id} spent up to 650.0 ms (93 % of the request) before its first query with no span open, in 2 of 2 analysed trace(s), as did 1 other route(s) of forum-api: requests queue for a pooled database connection."));
            Assert.That(boards.NextSteps[0], Does.Contain($"/trace/{Id(1)}"));
        });
    }

    [Test]
    public void GapOnOneRouteOnly_InfoItMayBeWorkBeforeTheQuery()
    {
        var finding = new ConnectionWaitTraceRule().Evaluate([Request(Id(1), "GET /slow", 1100, 520)], Ctx).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Info));
        Assert.That(finding.Recommendation, Does.Contain("a wait for a pooled connection, or work done before the query"));
    }

    [TestCase(99, 1000)] // under 100 ms
    [TestCase(150, 2000)] // under 10 % of the request
    public void SmallGap_NoFinding(double gapMs, double totalMs)
    {
        Assert.That(new ConnectionWaitTraceRule().Evaluate([Request(Id(1), "GET /a", totalMs, gapMs), Request(Id(2), "GET /b", totalMs, gapMs)], Ctx), Is.Empty);
    }

    [Test]
    public void GapCoveredByAnotherSpan_IsNotAWait()
    {
        // An HTTP call before the query explains the time: not a gap.
        string t = Id(1);
        var trace = new Trace(t,
        [
            S(t, "1", null, "GET /orders", 0, 800, "server"),
            S(t, "3", "1", "GET http://stock/items", 5, 600, "client"),
            S(t, "2", "1", "SELECT orders", 640, 20, "client", Db("SELECT * FROM orders WHERE id = $1")),
        ]);

        Assert.That(new ConnectionWaitTraceRule().Evaluate([trace, trace with { TraceId = Id(2) }], Ctx), Is.Empty);
    }

    [Test]
    public void GapUnderAnInternalParentOfTheQuery_StillAGap()
    {
        // A handler span wrapping the whole request is the query's ancestor: it does not explain the gap.
        string t = Id(1);
        Trace One(string id, string route) => new(id,
        [
            S(id, "1", null, route, 0, 800, "server"),
            S(id, "4", "1", "handler", 1, 798, "internal"),
            S(id, "2", "4", "SELECT orders", 640, 20, "client", Db("SELECT * FROM orders WHERE id = $1")),
        ]);

        var findings = new ConnectionWaitTraceRule().Evaluate([One(t, "GET /orders"), One(Id(2), "GET /items")], Ctx);

        Assert.That(findings.Select(f => f.Severity), Is.EqualTo(new[] { Severity.Warning, Severity.Warning }));
    }

    [TestCase("sql.connector.connect", 250, Severity.Warning)]
    [TestCase("HikariPool.getConnection", 1500, Severity.Critical)]
    [TestCase("Open connection", 120, Severity.Warning)]
    public void SlowConnectSpan_Finding(string operation, double ms, Severity expected)
    {
        string t = Id(1);
        var trace = new Trace(t,
        [
            S(t, "1", null, "GET /orders", 0, ms + 30, "server"),
            S(t, "5", "1", operation, 1, ms, "client", new Dictionary<string, string> { ["db.system"] = "postgresql" }),
            S(t, "2", "1", "SELECT orders", ms + 5, 20, "client", Db("SELECT * FROM orders WHERE id = $1")),
        ]);

        var finding = new ConnectionWaitTraceRule().Evaluate([trace], Ctx).Single();

        Assert.That(finding.Target, Is.EqualTo($"forum-api: {operation}"));
        Assert.That(finding.Severity, Is.EqualTo(expected));
        Assert.That(finding.Recommendation, Does.Contain("opening or acquiring a database connection took up to"));
    }

    [TestCase("GET /connect")] // a server span of a route that happens to be named so
    [TestCase("connect to cache")] // not a database
    public void ConnectLikeNameThatIsNotADatabaseConnection_NoFinding(string operation)
    {
        string t = Id(1);
        var trace = new Trace(t, [S(t, "1", null, operation, 0, 900, operation.StartsWith("GET", StringComparison.Ordinal) ? "server" : "client")]);

        Assert.That(new ConnectionWaitTraceRule().Evaluate([trace], Ctx), Is.Empty);
    }

    [Test]
    public void TraceRulesEvaluate_RunsTheRuleAcrossTheAnalysedTraces()
    {
        var findings = PerfTools.BottleneckDetector.Rules.TraceRules.Evaluate(
            [Request(Id(1), "GET /boards/{id}", 700, 650), Request(Id(3), "GET /slow", 1100, 520)], Ctx);

        Assert.That(findings.Where(f => f.Rule == "connection_pool").Select(f => f.Severity), Is.EqualTo(new[] { Severity.Warning, Severity.Warning }));
    }
}
