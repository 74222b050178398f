namespace PerfTools.Shared.Tracing;

/// <summary>A statement text (exact after whitespace collapse, or a fingerprint) seen more than once in a trace.</summary>
/// <param name="TotalMs">Sum of the spans' durations (not a union: the point is what the repetition costs).</param>
public sealed record DbStatementStat(string Statement, int Count, double TotalMs);
