using System.Globalization;
using PerfTools.Shared.Tracing;
using static PerfTools.Tests.Tracing.TestTraces;

namespace PerfTools.Tests.Tracing;

public class CriticalPathTests
{
    /// <summary>The path as (short span id, start ms, end ms) relative to the root's start.</summary>
    private static (string Span, double StartMs, double EndMs)[] Path(Trace trace)
    {
        var result = CriticalPath.Compute(trace);
        var origin = trace.Root!.StartMicros;
        return result.Segments
            .Select(s => (s.SpanId.TrimStart('0'), (s.StartMicros - origin) / 1000.0, (s.EndMicros - origin) / 1000.0))
            .ToArray();
    }

    [Test]
    public void Compute_OneChildCoveringParent_AllOnTheChild()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "child", 0, 100));

        Assert.That(Path(trace), Is.EqualTo(new[] { ("2", 0.0, 100.0) }));
    }

    [Test]
    public void Compute_TwoSequentialChildren_BothWithParentGapsBetween()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "a", 10, 30), Span("3", "1", "b", 50, 40));

        Assert.That(Path(trace), Is.EqualTo(new[]
        {
            ("1", 0.0, 10.0), ("2", 10.0, 40.0), ("1", 40.0, 50.0), ("3", 50.0, 90.0), ("1", 90.0, 100.0),
        }));
    }

    [Test]
    public void Compute_TwoParallelChildren_ThroughTheLastFinishing()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "a", 10, 50), Span("3", "1", "b", 20, 60));

        Assert.That(Path(trace), Is.EqualTo(new[] { ("1", 0.0, 20.0), ("3", 20.0, 80.0), ("1", 80.0, 100.0) }),
            "a ends inside b, so the request never waited on a alone");
    }

    [Test]
    public void Compute_ChildEndingAfterParent_ClampedToParent()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "async", 50, 100));

        var result = CriticalPath.Compute(trace);

        Assert.Multiple(() =>
        {
            Assert.That(Path(trace), Is.EqualTo(new[] { ("1", 0.0, 50.0), ("2", 50.0, 100.0) }));
            Assert.That(result.TotalMs, Is.EqualTo(100));
            Assert.That(result.ByOperation().Sum(o => o.Share), Is.EqualTo(1).Within(1e-9));
        });
    }

    [Test]
    public void Compute_RootDoingItsOwnWork_RootSelfTimeLargestShare()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "a", 10, 10));

        var top = CriticalPath.Compute(trace).ByOperation()[0];

        Assert.Multiple(() =>
        {
            Assert.That(top.Operation, Is.EqualTo("root"));
            Assert.That(top.SelfMs, Is.EqualTo(90).Within(1e-9));
            Assert.That(top.Share, Is.EqualTo(0.9).Within(1e-9));
        });
    }

    [Test]
    public void Compute_NestedChildren_GrandchildOnThePath()
    {
        var trace = Trace(
            Span("1", null, "root", 0, 100),
            Span("2", "1", "service call", 10, 80),
            Span("3", "2", "query", 20, 60),
            Span("4", "1", "early", 0, 5));

        Assert.That(Path(trace), Is.EqualTo(new[]
        {
            ("4", 0.0, 5.0), ("1", 5.0, 10.0), ("2", 10.0, 20.0), ("3", 20.0, 80.0), ("2", 80.0, 90.0), ("1", 90.0, 100.0),
        }));
    }

    [Test]
    public void Compute_SameOperationTwice_SummedWithBothSpanIds()
    {
        var trace = Trace(Span("1", null, "root", 0, 100), Span("2", "1", "q", 0, 40), Span("3", "1", "q", 50, 40));

        var q = CriticalPath.Compute(trace).ByOperation().Single(o => o.Operation == "q");

        Assert.Multiple(() =>
        {
            Assert.That(q.SelfMs, Is.EqualTo(80).Within(1e-9));
            Assert.That(q.SpanIds, Is.EqualTo(new[] { Id("2"), Id("3") }));
        });
    }

    [Test]
    public void Compute_EmptyTrace_NoSegments()
    {
        var result = CriticalPath.Compute(new Trace(TraceId, []));

        Assert.Multiple(() =>
        {
            Assert.That(result.Segments, Is.Empty);
            Assert.That(result.RootSpanId, Is.Null);
        });
    }

    [Test]
    public void Compute_ParentChainHundredThousandDeep_NoStackOverflow()
    {
        // Regression: the walk recursed once per level, so a corrupt or hostile answer with a deep parent chain
        // overflowed the stack and killed the process (not catchable). Each span starts 1 µs after its parent and ends 1 µs before it.
        const int depth = 100_000;
        var spans = Enumerable.Range(0, depth)
            .Select(i => Span((i + 1).ToString("x", CultureInfo.InvariantCulture), i == 0 ? null : i.ToString("x", CultureInfo.InvariantCulture),
                "op", i / 1000.0, (2.0 * (depth - i) + 1) / 1000.0))
            .ToArray();

        var result = CriticalPath.Compute(Trace(spans));

        Assert.Multiple(() =>
        {
            Assert.That(result.Segments, Has.Count.EqualTo(2 * depth - 1), "each span's two 1 µs edges, the deepest span whole");
            Assert.That(result.Segments.Sum(s => s.DurationMicros), Is.EqualTo(2 * depth + 1), "they cover the root");
        });
    }
}
