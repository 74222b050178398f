namespace PerfTools.Shared.Tracing;

/// <summary>The critical path of a trace: what the request was waiting on at each moment, from root start to root end.</summary>
/// <param name="RootSpanId">The root the path was walked from; null for an empty trace.</param>
/// <param name="TotalMs">ms: the root span's duration, which the segments cover.</param>
/// <param name="Segments">In time order; they do not overlap and sum to TotalMs.</param>
public sealed record CriticalPathResult(string TraceId, string? RootSpanId, double TotalMs, IReadOnlyList<CriticalPathSegment> Segments)
{
    /// <summary>Self time per (service, operation), largest first.</summary>
    public IReadOnlyList<CriticalPathOperation> ByOperation() =>
        Segments
            .GroupBy(s => (s.Service, s.Operation))
            .Select(g =>
            {
                var selfMs = g.Sum(s => s.DurationMicros) / 1000.0;
                return new CriticalPathOperation(g.Key.Service, g.Key.Operation, selfMs,
                    TotalMs > 0 ? Math.Clamp(selfMs / TotalMs, 0, 1) : 0,
                    g.Select(s => s.SpanId).Distinct(StringComparer.Ordinal).ToList());
            })
            .OrderByDescending(o => o.SelfMs)
            .ThenBy(o => o.Service, StringComparer.Ordinal)
            .ThenBy(o => o.Operation, StringComparer.Ordinal)
            .ToList();
}
