using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

public class TraceBreakdownTests
{
    private const string TraceId = "0000000000000000000000000000000a";

    private static Span Make(string id, string? parent, long start, long duration, string op = "op", params (string Key, string Value)[] tags) =>
        new(TraceId, id.PadLeft(16, '0'), parent?.PadLeft(16, '0'), "svc", op, start, duration, null,
            tags.ToDictionary(t => t.Key, t => t.Value), false);

    private static Span Sql(string id, string parent, long start, long duration, string statement) =>
        Make(id, parent, start, duration, "SELECT", ("db.system", "sqlite"), ("db.statement", statement));

    [Test]
    public void Analyze_OverlappingDbSpans_CountsTheirUnionOnce()
    {
        var trace = new Trace(TraceId,
        [
            Make("1", null, 0, 10_000),
            Sql("2", "1", 1_000, 4_000, "SELECT 1"),   // 1000..5000
            Sql("3", "1", 3_000, 4_000, "SELECT 2"),   // 3000..7000, overlaps
            Sql("4", "1", 8_000, 1_000, "SELECT 3"),   // 8000..9000
        ]);

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.TotalMs, Is.EqualTo(10.0));
            Assert.That(breakdown.DbSpanCount, Is.EqualTo(3));
            Assert.That(breakdown.DbMs, Is.EqualTo(7.0));
            Assert.That(breakdown.DbShare, Is.EqualTo(0.7).Within(1e-9));
            var root = breakdown.Operations.Single(o => o.Operation == "op");
            Assert.That(root.SelfMs, Is.EqualTo(3.0), "self time subtracts the union of the children");
        });
    }

    [Test]
    public void Analyze_Verbs_FromOperationTagThenStatementElseOther()
    {
        var trace = new Trace(TraceId,
        [
            Make("1", null, 0, 100),
            Make("2", "1", 0, 1, "q", ("db.system", "postgresql"), ("db.operation.name", "insert")),
            Make("3", "1", 0, 1, "q", ("db.query.text", "  update t set a = 1")),
            Make("4", "1", 0, 1, "q", ("db.statement", "(select 1) union (select 2)")),
            Make("5", "1", 0, 1, "q", ("db.system", "redis")),
            Make("6", "1", 0, 1, "q", ("db.operation", "SELECT"), ("db.system", "mysql")),
        ]);

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.That(breakdown.DbVerbs, Is.EqualTo(new[]
        {
            new DbVerbStat("SELECT", 2), new DbVerbStat("INSERT", 1), new DbVerbStat("OTHER", 1), new DbVerbStat("UPDATE", 1),
        }));
    }

    [Test]
    public void Analyze_StatementsDifferingInLiterals_ShareAFingerprint()
    {
        var trace = new Trace(TraceId,
        [
            Make("1", null, 0, 100),
            Sql("2", "1", 0, 1, "SELECT * FROM posts WHERE post_id = 1 AND title = 'it''s'"),
            Sql("3", "1", 1, 1, "SELECT *  FROM posts\nWHERE post_id = 22 AND title = 'x'"),
            Sql("4", "1", 2, 1, "SELECT * FROM t1 WHERE id IN (1, 2, 3)"),
            Sql("5", "1", 3, 1, "SELECT * FROM t1 WHERE id IN (4)"),
            Sql("6", "1", 4, 1, "SELECT * FROM t1 WHERE id IN (4)"),
        ]);

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.RepeatedStatements.Select(s => (s.Statement, s.Count)),
                Is.EqualTo(new[] { ("SELECT * FROM t1 WHERE id IN (4)", 2) }));
            Assert.That(breakdown.RepeatedFingerprints.Select(s => (s.Statement, s.Count)), Is.EqualTo(new[]
            {
                ("SELECT * FROM t1 WHERE id IN (?)", 3),
                ("SELECT * FROM posts WHERE post_id = ? AND title = ?", 2),
            }));
        });
    }

    [TestCase(4, false)]
    [TestCase(5, true)]
    public void Analyze_RepeatsUnderOneParent_NPlusOneHintFromFive(int repeats, bool hinted)
    {
        var spans = new List<Span> { Make("1", null, 0, 1_000, "GET /posts") };
        spans.AddRange(Enumerable.Range(0, repeats).Select(i =>
            Sql($"{i + 10}", "1", i * 10, 5, $"SELECT COUNT(*) FROM comments WHERE post_id = {i}")));

        var breakdown = TraceBreakdown.Analyze(new Trace(TraceId, spans));

        Assert.That(breakdown.NPlusOneHints, Has.Count.EqualTo(hinted ? 1 : 0));
        if (hinted)
        {
            Assert.That(breakdown.NPlusOneHints[0], Is.EqualTo(new NPlusOneHint(
                "0000000000000001", "GET /posts", "SELECT COUNT(*) FROM comments WHERE post_id = ?", 5, 0.025)));
        }
    }

    [Test]
    public void Analyze_SameRepeatsSpreadOverParents_NoNPlusOneHint()
    {
        var spans = new List<Span> { Make("1", null, 0, 1_000), Make("2", "1", 0, 500), Make("3", "1", 500, 500) };
        spans.AddRange(Enumerable.Range(0, 6).Select(i => Sql($"{i + 10}", i % 2 == 0 ? "2" : "3", i * 10, 5, $"SELECT a FROM b WHERE c = {i}")));

        var breakdown = TraceBreakdown.Analyze(new Trace(TraceId, spans));

        Assert.That(breakdown.NPlusOneHints, Is.Empty);
    }

    [Test]
    public void Analyze_RootSpanId_RestrictsToSubtree()
    {
        var trace = new Trace(TraceId,
        [
            Make("1", null, 0, 1_000),
            Make("2", "1", 0, 400, "child"),
            Sql("3", "2", 0, 100, "SELECT 1"),
            Sql("4", "1", 500, 100, "SELECT 2"),
        ]);

        var breakdown = TraceBreakdown.Analyze(trace, "2");

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.RootOperation, Is.EqualTo("child"));
            Assert.That(breakdown.SpanCount, Is.EqualTo(2));
            Assert.That(breakdown.TotalMs, Is.EqualTo(0.4));
            Assert.That(breakdown.DbShare, Is.EqualTo(0.25));
        });
        Assert.Throws<ArgumentException>(() => TraceBreakdown.Analyze(trace, "99"));
    }

    [Test]
    public void Analyze_EmptyTrace_ZerosNotExceptions()
    {
        var breakdown = TraceBreakdown.Analyze(new Trace(TraceId, []));

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.RootSpanId, Is.Null);
            Assert.That(breakdown.TotalMs, Is.Zero);
            Assert.That(breakdown.DbShare, Is.Zero);
        });
    }

    [Test]
    public void Analyze_DurationsSummingPastLongMax_NoOverflow()
    {
        // Regression (parser fuzz): a corrupt v1 "duration" near long.MaxValue made the checked per-operation sum overflow.
        const long huge = long.MaxValue / 2 + 1;
        var trace = new Trace(TraceId,
        [
            Make("1", null, 0, 1_000),
            Sql("2", "1", 0, huge, "SELECT 1"),
            Sql("3", "1", 0, huge, "SELECT 1"),
            Sql("4", "1", 0, huge, "SELECT 1"),
        ]);

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.Operations.Single(o => o.Operation == "SELECT").TotalMs, Is.EqualTo(3.0 * huge / 1000).Within(1e-9).Percent);
            Assert.That(breakdown.RepeatedStatements.Single().TotalMs, Is.EqualTo(3.0 * huge / 1000).Within(1e-9).Percent);
        });
    }

    [TestCase("self-parented")]
    [TestCase("two ids parenting each other")]
    public void Analyze_TwentyThousandSpansWithDuplicateIdsParentingEachOther_FinishesInTime(string shape)
    {
        // Regression: every duplicate of an id took all of that id's children, each time sorted again, and the subtree walk
        // pushed them again per duplicate: 20 000 such spans (broken instrumentation reusing ids) ran for minutes.
        const int count = 20_000;
        var spans = Enumerable.Range(0, count)
            .Select(i => shape == "self-parented" ? Make("1", "1", i, 10) : Make(i % 2 == 0 ? "2" : "3", i % 2 == 0 ? "3" : "2", i, 10))
            .ToList();
        var trace = new Trace(TraceId, spans);

        var work = Task.Run(() => (Whole: TraceBreakdown.Analyze(trace), Sub: TraceBreakdown.Analyze(trace, spans[0].SpanId)));

        Assert.That(work.Wait(TimeSpan.FromSeconds(10)), Is.True, "analysis finished within 10 s");
        var (whole, sub) = work.Result;
        Assert.Multiple(() =>
        {
            Assert.That(whole.SpanCount, Is.EqualTo(count));
            Assert.That(sub.SpanCount, Is.EqualTo(count), "every span is reachable from the first");
            // A span is not its own child (self time 10 µs each); with two ids, the other id's spans cover all but the
            // first µs of the first span and the last µs of the last.
            Assert.That(whole.Operations.Single().SelfMs, Is.EqualTo(shape == "self-parented" ? count * 10 / 1000.0 : 0.002).Within(1e-9));
        });
    }
}
