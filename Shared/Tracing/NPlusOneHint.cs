namespace PerfTools.Shared.Tracing;

/// <summary>
/// Evidence of an N+1 query pattern: one statement fingerprint run at least
/// <see cref="TraceBreakdown.NPlusOneThreshold"/> times under a single parent span.
/// </summary>
public sealed record NPlusOneHint(string ParentSpanId, string ParentOperation, string Fingerprint, int Count, double TotalMs);
