using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector;

/// <summary>Stands in until the Jaeger rules are wired: reports the source as not analysed rather than invent data.</summary>
internal sealed class UnwiredTracesAnalyzer : ITracesAnalyzer
{
    public Task<TracesAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct) =>
        Task.FromResult(new TracesAnalysis(
            new SourceStatus(settings.JaegerUrl.AbsoluteUri, false, Message: "analysis not wired yet"), [], 0, []));
}
