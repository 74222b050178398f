namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The evidence text every trace rule writes, so a reader can open the trace and find the spans.</summary>
internal static class TraceEvidence
{
    private const int MaxSpanIds = 20;

    public static string Of(string traceId, IReadOnlyList<string> spanIds)
    {
        var shown = string.Join(",", spanIds.Take(MaxSpanIds));
        var more = spanIds.Count > MaxSpanIds ? $",… ({spanIds.Count} spans)" : "";
        return $"trace {traceId} spans {shown}{more}";
    }
}
