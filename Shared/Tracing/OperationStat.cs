namespace PerfTools.Shared.Tracing;

/// <summary>Spans of one (service, operation) in a trace: how many, their summed duration and summed self time.</summary>
/// <param name="SelfMs">Duration minus the time covered by the span's children (union, clipped to the span).</param>
public sealed record OperationStat(string Service, string Operation, int Count, double TotalMs, double SelfMs);
