namespace PerfTools.Shared.Reports;

/// <summary>What <see cref="DetectorChart"/> draws: p95 by route against the threshold, and memory over the window.</summary>
/// <param name="Title">The chart's heading (sources and instant).</param>
/// <param name="P95ByRoute">One bar per route, ms.</param>
/// <param name="Memory">The memory series, bytes, in time order.</param>
/// <param name="MemorySeries">Which series <paramref name="Memory"/> is (the legend); null when unknown.</param>
/// <param name="NoLatencyText">Shown in the latency panel when <paramref name="P95ByRoute"/> is empty, saying why.</param>
/// <param name="NoMemoryText">Shown in the memory panel when <paramref name="Memory"/> is empty, saying why.</param>
public sealed record DetectorChartData(
    string Title,
    IReadOnlyList<(string Route, double P95Ms)> P95ByRoute,
    double ThresholdMs,
    IReadOnlyList<(DateTimeOffset At, double Bytes)> Memory,
    string? MemorySeries,
    string NoLatencyText,
    string NoMemoryText);
