namespace PerfTools.Shared.Metrics;

/// <summary>A discovered counter (requests or DB queries) and the labels that carry route, method and status.</summary>
/// <param name="Name">Series name as queried: <c>forum_db_queries_total</c>, <c>http_request_duration_seconds_count</c>.</param>
public sealed record CounterMetric(string Name, string? RouteLabel, string? MethodLabel, string? StatusLabel);
