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
        Walk(root, children, visited, segments);
        segments.Reverse();
        return new CriticalPathResult(trace.TraceId, root.SpanId, root.DurationMicros / 1000.0, segments);
    }

    /// <summary>Adds, latest first, the path segments inside <paramref name="root"/>.</summary>
    /// <remarks>Depth-first with a stack of its own rather than recursion: a trace's parent chain can be as deep as it
    /// has spans, and a deep one (a corrupt or hostile answer) would overflow the thread's stack and kill the process.</remarks>
    private static void Walk(Span root, ILookup<string, Span> children, HashSet<string> visited, List<CriticalPathSegment> segments)
    {
        var stack = new Stack<Frame>();
        Enter(root, root.StartMicros, root.EndMicros);
        while (stack.Count > 0)
        {
            var frame = stack.Peek();
            // Children ending after the cursor overlap the one already on the path: they never held the parent up.
            while (frame.Next < frame.Candidates.Count && frame.Candidates[frame.Next].End > frame.Cursor)
            {
                frame.Next++;
            }

            if (frame.Next == frame.Candidates.Count)
            {
                Add(frame.Span, frame.Start, frame.Cursor, segments);
                stack.Pop();
                continue;
            }

            var child = frame.Candidates[frame.Next++];
            Add(frame.Span, child.End, frame.Cursor, segments);
            frame.Cursor = child.Start;
            Enter(child.Span, child.Start, child.End);
        }

        void Enter(Span span, long start, long end)
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
            stack.Push(new Frame(span, start, candidates) { Cursor = end });
        }
    }

    /// <summary>A span being walked: its clamped start, its children on offer latest-ending first, and how far back the path has reached.</summary>
    private sealed class Frame(Span span, long start, List<(Span Span, long Start, long End)> candidates)
    {
        public Span Span { get; } = span;

        public long Start { get; } = start;

        public List<(Span Span, long Start, long End)> Candidates { get; } = candidates;

        public int Next { get; set; }

        public long Cursor { get; set; }
    }

    private static void Add(Span span, long start, long end, List<CriticalPathSegment> segments)
    {
        if (end > start)
        {
            segments.Add(new CriticalPathSegment(span.SpanId, span.Service, span.Operation, start, end));
        }
    }
}
