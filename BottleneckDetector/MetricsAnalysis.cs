using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector;

/// <summary>What Prometheus gave one run: its status, what discovery found, the findings, and the chart's series.</summary>
/// <param name="Discovered">By role (<c>latency</c> → <c>http_request_duration_seconds by endpoint</c>), for the JSON report.</param>
/// <param name="DiscoveryLines">What was found and what was not, one line each, printed as given.</param>
/// <param name="MemorySeries">The series <paramref name="Memory"/> came from (the chart's legend); null when none.</param>
internal sealed record MetricsAnalysis(
    SourceStatus Status,
    IReadOnlyDictionary<string, string> Discovered,
    IReadOnlyList<string> DiscoveryLines,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RouteLatency> P95ByRoute,
    IReadOnlyList<MemoryPoint> Memory,
    string? MemorySeries)
{
    /// <summary>What discovery found, for the rules' notes on what evidence they lacked; null when Prometheus was not asked
    /// far enough (or a fake analyzer said nothing of it).</summary>
    public DiscoveredMetrics? Metrics { get; init; }
}
