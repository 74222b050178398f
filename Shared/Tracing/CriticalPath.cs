namespace PerfTools.Shared.Tracing;

/// <summary>
/// Computes a trace's critical path the way the Jaeger UI does (jaeger-ui <c>TracePage/CriticalPath</c>): from the
/// root's end, step back through the child that finished last before the cursor; the gap between that child's end
/// and the cursor is the parent's own time; recurse into the child, move the cursor to its start, and repeat.
/// </summary>
public static class CriticalPath
{
    public static CriticalPathResult Compute(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var root = trace.Root;
        if (root is null)
        {
            return new CriticalPathResult(trace.TraceId, null, 0, []);
        }

        var children = trace.Spans
            .Where(s => s.ParentSpanId is not null && s.ParentSpanId != s.SpanId)
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var segments = new List<CriticalPathSegment>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        Walk(root, root.StartMicros, root.EndMicros, children, visited, segments);
        segments.Reverse();
        return new CriticalPathResult(trace.TraceId, root.SpanId, root.DurationMicros / 1000.0, segments);
    }

    /// <summary>Adds, latest first, the path segments inside <paramref name="span"/> clamped to [start, end].</summary>
    private static void Walk(Span span, long start, long end, ILookup<string, Span> children, HashSet<string> visited,
        List<CriticalPathSegment> segments)
    {
        if (!visited.Add(span.SpanId))
        {
            return; // a duplicate span id or a reference cycle: walk each span once
        }

        // A child that starts before its parent or ends after it (clock skew, async work) is cut to the parent,
        // as the Jaeger UI does; one wholly outside it is not on the parent's path at all.
        var candidates = children[span.SpanId]
            .Where(c => !visited.Contains(c.SpanId))
            .Select(c => (Span: c, Start: Math.Max(c.StartMicros, start), End: Math.Min(c.EndMicros, end)))
            .Where(c => c.End > c.Start)
            .OrderByDescending(c => c.End)
            .ThenByDescending(c => c.Start)
            .ThenBy(c => c.Span.SpanId, StringComparer.Ordinal)
            .ToList();

        var cursor = end;
        var next = 0;
        while (true)
        {
            // Children ending after the cursor overlap the one already on the path: they never held the parent up.
            while (next < candidates.Count && candidates[next].End > cursor)
            {
                next++;
            }

            if (next == candidates.Count)
            {
                Add(span, start, cursor, segments);
                return;
            }

            var child = candidates[next++];
            Add(span, child.End, cursor, segments);
            Walk(child.Span, child.Start, child.End, children, visited, segments);
            cursor = child.Start;
        }
    }

    private static void Add(Span span, long start, long end, List<CriticalPathSegment> segments)
    {
        if (end > start)
        {
            segments.Add(new CriticalPathSegment(span.SpanId, span.Service, span.Operation, start, end));
        }
    }
}
