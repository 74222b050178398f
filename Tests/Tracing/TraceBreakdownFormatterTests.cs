using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

public class TraceBreakdownFormatterTests
{
    [Test]
    [SetCulture("de-DE")]
    public void Format_NPlusOneFixture_PrintsInvariantLinesWithHint()
    {
        var trace = JaegerV1Parser.Parse(TracingTestData.Read("v1_nplus1_trace.json"))[0];

        var lines = TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(trace), "v1");

        Assert.That(lines, Is.EqualTo(new[]
        {
            "trace 4bf92f3577b34da6a3ce929d0e0e4736 (GET /boards/{id}/posts, 100.0 ms, 8 spans, v1 API)",
            "  spans: forum-api GET /boards/{id}/posts ×1 100.0 ms; forum-api SELECT forum ×7 40.0 ms",
            "  db: 7 queries (SELECT 7), 40.0 ms = 40.0% of the request",
            "  repeated: 6× SELECT COUNT(*) FROM comments WHERE post_id = ? (30.0 ms) — N+1 hint",
        }));
    }

    [Test]
    public void Format_NoDbSpans_SaysSo()
    {
        var span = new Span("0000000000000000000000000000000a", "0000000000000001", null, "svc", "GET /", 0, 1500, "server",
            new Dictionary<string, string>(), false);

        var lines = TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(new Trace(span.TraceId, [span])));

        Assert.That(lines, Is.EqualTo(new[]
        {
            "trace 0000000000000000000000000000000a (GET /, 1.5 ms, 1 spans)",
            "  spans: svc GET / ×1 1.5 ms",
            "  db: no database spans in this trace",
        }));
    }
}
