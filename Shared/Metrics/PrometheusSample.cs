namespace PerfTools.Shared.Metrics;

/// <summary>One value at one instant; Prometheus sends <c>[unix_seconds, "value"]</c>, and the value may be NaN or ±Inf.</summary>
public readonly record struct PrometheusSample(double TimeUnixSeconds, double Value);
