namespace PerfTools.Shared.Tracing;

/// <summary>One (service, operation)'s self time on the critical path, summed over its spans.</summary>
/// <param name="SelfMs">ms of the critical path spent in these spans' own work.</param>
/// <param name="Share">SelfMs / the root span's duration, 0..1.</param>
/// <param name="SpanIds">The spans that contributed, in path order.</param>
public sealed record CriticalPathOperation(string Service, string Operation, double SelfMs, double Share, IReadOnlyList<string> SpanIds);
