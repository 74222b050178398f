using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector;

/// <summary>Stands in until the Prometheus rules are wired: reports the source as not analysed rather than invent data.</summary>
internal sealed class UnwiredMetricsAnalyzer : IMetricsAnalyzer
{
    public Task<MetricsAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct) =>
        Task.FromResult(new MetricsAnalysis(
            new SourceStatus(settings.PrometheusUrl.AbsoluteUri, false, Message: "analysis not wired yet"),
            new Dictionary<string, string>(), [], [], [], [], null));
}
