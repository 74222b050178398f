namespace PerfTools.Shared.Tracing;

/// <summary>One span of a trace, the same shape whichever Jaeger API (v1 JSON or v3 OTLP JSON) it came from.</summary>
/// <param name="TraceId">Lowercase 32-hex trace id (64-bit ids are left-padded with zeros).</param>
/// <param name="SpanId">Lowercase 16-hex span id.</param>
/// <param name="ParentSpanId">The CHILD_OF reference or OTLP parentSpanId; a FOLLOWS_FROM reference when there is no CHILD_OF.</param>
/// <param name="StartMicros">µs since the Unix epoch.</param>
/// <param name="DurationMicros">µs.</param>
/// <param name="Kind">server, client, internal, producer or consumer; null when the span does not say.</param>
/// <param name="HasError">Tag error=true or OTLP status code ERROR.</param>
public sealed record Span(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Service,
    string Operation,
    long StartMicros,
    long DurationMicros,
    string? Kind,
    IReadOnlyDictionary<string, string> Tags,
    bool HasError)
{
    /// <summary>µs since the Unix epoch.</summary>
    public long EndMicros => StartMicros + DurationMicros;
}
