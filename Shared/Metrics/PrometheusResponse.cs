namespace PerfTools.Shared.Metrics;

/// <summary>A successful API response: its data and the server's warnings (e.g. a partial result), which callers should show.</summary>
public sealed record PrometheusResponse<T>(T Data, IReadOnlyList<string> Warnings);
