namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The evidence text every trace rule writes, so a reader can open the trace and find the spans, and the
/// next step that opens it.</summary>
internal static class TraceEvidence
{
    private const int MaxSpanIds = 20;

    public static string Of(string traceId, IReadOnlyList<string> spanIds)
    {
        var shown = string.Join(",", spanIds.Take(MaxSpanIds));
        var more = spanIds.Count > MaxSpanIds ? $",… ({spanIds.Count} spans)" : "";
        return $"trace {traceId} spans {shown}{more}";
    }

    /// <summary>"open trace 4bf9… in Jaeger (http://localhost:16686/trace/4bf9…) and <paramref name="then"/>".</summary>
    public static string OpenStep(TraceRuleContext ctx, string traceId, string then) =>
        $"open trace {traceId} in Jaeger ({ctx.JaegerUrl}/trace/{traceId}) and {then}";
}
