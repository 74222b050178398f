namespace PerfTools.BottleneckDetector;

/// <summary>Asks Prometheus what it knows (discovery, then the metric rules) for one run of the detector.</summary>
internal interface IMetricsAnalyzer
{
    /// <summary>Never throws for an unreachable Prometheus: that is a result (<see cref="MetricsAnalysis.Status"/>).</summary>
    Task<MetricsAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct);
}
