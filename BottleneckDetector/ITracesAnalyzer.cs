using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector;

/// <summary>Fetches the slowest traces from Jaeger and runs the trace rules over them for one run of the detector.</summary>
internal interface ITracesAnalyzer
{
    /// <summary>Never throws for an unreachable Jaeger: that is a result (<see cref="TracesAnalysis.Status"/>).</summary>
    Task<TracesAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct);
}
