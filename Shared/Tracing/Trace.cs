namespace PerfTools.Shared.Tracing;

/// <summary>The spans that share one trace id, with the few tree helpers an analysis needs.</summary>
public sealed record Trace(string TraceId, IReadOnlyList<Span> Spans)
{
    /// <summary>
    /// The span with no parent in this trace (its parent may be absent when a trace was cut short);
    /// the earliest one when there are several; null for an empty trace.
    /// </summary>
    public Span? Root
    {
        get
        {
            var ids = Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
            return Spans
                .Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId))
                .OrderBy(s => s.StartMicros)
                .ThenByDescending(s => s.DurationMicros)
                .FirstOrDefault();
        }
    }

    /// <summary>µs from the earliest start to the latest end; 0 for an empty trace.</summary>
    public long DurationMicros =>
        Spans.Count == 0 ? 0 : Spans.Max(s => s.EndMicros) - Spans.Min(s => s.StartMicros);

    /// <summary>The spans whose parent is <paramref name="spanId"/>, in start order.</summary>
    public IReadOnlyList<Span> Children(string spanId) =>
        Spans.Where(s => s.ParentSpanId == spanId).OrderBy(s => s.StartMicros).ToList();
}
