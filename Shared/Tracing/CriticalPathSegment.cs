namespace PerfTools.Shared.Tracing;

/// <summary>A stretch of the critical path during which one span's own work (not a child's) held the request up.</summary>
/// <param name="StartMicros">µs since the Unix epoch.</param>
/// <param name="EndMicros">µs since the Unix epoch.</param>
public sealed record CriticalPathSegment(string SpanId, string Service, string Operation, long StartMicros, long EndMicros)
{
    /// <summary>µs.</summary>
    public long DurationMicros => EndMicros - StartMicros;
}
