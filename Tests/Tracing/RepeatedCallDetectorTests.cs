using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

public class RepeatedCallDetectorTests
{
    [Test]
    public void Find_TenSequentialSelects_OneSequenceOfTen()
    {
        var trace = TestTraces.Under(200, TestTraces.Queries(10, everyMs: 11, durationMs: 10));

        var found = RepeatedCallDetector.Find(trace);

        Assert.That(found, Has.Count.EqualTo(1));
        var calls = found[0];
        Assert.Multiple(() =>
        {
            Assert.That(calls.Count, Is.EqualTo(10));
            Assert.That(calls.Operation, Is.EqualTo("SELECT * FROM pets WHERE owner_id = ?"));
            Assert.That(calls.Service, Is.EqualTo("forum-db"));
            Assert.That(calls.ParentSpanId, Is.EqualTo(TestTraces.Id("1")));
            Assert.That(calls.ParentOperation, Is.EqualTo("GET /owners"));
            Assert.That(calls.UnionMs, Is.EqualTo(100).Within(1e-9));
            Assert.That(calls.SpanIds, Has.Count.EqualTo(10));
            Assert.That(calls.TraceId, Is.EqualTo(TestTraces.TraceId));
        });
    }

    [Test]
    public void Find_TenParallelSelects_None()
    {
        var trace = TestTraces.Under(200, TestTraces.Queries(10, everyMs: 0.2, durationMs: 60));

        Assert.That(RepeatedCallDetector.Find(trace), Is.Empty);
    }

    [Test]
    public void Find_FourSequential_None()
    {
        var trace = TestTraces.Under(200, TestTraces.Queries(4, everyMs: 30, durationMs: 25));

        Assert.That(RepeatedCallDetector.Find(trace), Is.Empty);
    }

    [TestCase(9.9, 0)]
    [TestCase(10, 1)]
    public void Find_FiveSequential_ReportedFromFiftyMsUnion(double durationMs, int expected)
    {
        var trace = TestTraces.Under(200, TestTraces.Queries(5, everyMs: 12, durationMs: durationMs));

        Assert.That(RepeatedCallDetector.Find(trace), Has.Count.EqualTo(expected));
    }

    [Test]
    public void Find_OverlapWithinTolerance_StillSequential()
    {
        // Each call starts 0.5 ms before the previous one ends: 5% of a 10 ms call, inside the 10% tolerance.
        var trace = TestTraces.Under(200, TestTraces.Queries(6, everyMs: 9.5, durationMs: 10));

        Assert.That(RepeatedCallDetector.Find(trace).Single().Count, Is.EqualTo(6));
    }

    [Test]
    public void Find_OneOverlapInTheMiddle_SplitsTheSequence()
    {
        var queries = TestTraces.Queries(12, everyMs: 11, durationMs: 10).ToList();
        // The 7th call starts halfway through the 6th: a sequence of 6, then one of 6.
        queries[6] = queries[6] with { StartMicros = queries[5].StartMicros + 5_000 };

        var found = RepeatedCallDetector.Find(TestTraces.Under(300, queries));

        Assert.That(found.Select(f => f.Count), Is.EqualTo(new[] { 6, 6 }));
    }

    [Test]
    public void Find_HttpClientCallsToNumberedUsers_GroupedByPathTemplate()
    {
        var calls = Enumerable.Range(1, 7).Select(i => TestTraces.Span($"b{i}", "1", "HTTP GET", 1 + (i - 1) * 12, 11, "frontend",
            new Dictionary<string, string> { ["http.method"] = "GET", ["http.url"] = $"http://users:8080/users/{i}?expand=true" }));

        var found = RepeatedCallDetector.Find(TestTraces.Under(200, calls));

        Assert.Multiple(() =>
        {
            Assert.That(found.Single().Operation, Is.EqualTo("GET /users/{id}"));
            Assert.That(found.Single().Count, Is.EqualTo(7));
        });
    }

    [Test]
    public void Find_DifferentStatementsInTurn_NotOneGroup()
    {
        var calls = Enumerable.Range(1, 10).Select(i => TestTraces.Span($"c{i}", "1", "SELECT", 1 + (i - 1) * 12, 11, "forum-db",
            new Dictionary<string, string> { ["db.statement"] = i % 2 == 0 ? $"SELECT * FROM a WHERE id = {i}" : $"SELECT * FROM b WHERE id = {i}" }));

        var found = RepeatedCallDetector.Find(TestTraces.Under(200, calls));

        Assert.That(found.Select(f => f.Operation), Is.EquivalentTo(new[] { "SELECT * FROM a WHERE id = ?", "SELECT * FROM b WHERE id = ?" }),
            "interleaved calls of two statements are two sequences (each call starts after the previous one of its own kind ended)");
    }

    [TestCase("/users/42", "/users/{id}")]
    [TestCase("/orders/3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b/items", "/orders/{id}/items")]
    [TestCase("/blobs/a1b2c3d4e5f6", "/blobs/{id}")]
    [TestCase("/users/deadbeef", "/users/deadbeef")]
    [TestCase("/v2/users", "/v2/users")]
    [TestCase("GET /boards/7/posts", "GET /boards/{id}/posts")]
    [TestCase("GetDriver", "GetDriver")]
    public void TemplatePath_Text_IdsReplaced(string text, string expected) =>
        Assert.That(CallNames.TemplatePath(text), Is.EqualTo(expected));
}
