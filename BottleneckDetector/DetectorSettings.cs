using System.Globalization;
using PerfTools.BottleneckDetector.Database;
using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector;

/// <summary>The command line after validation: every value here is usable, so the analyzers never re-check.</summary>
/// <param name="At">The instant to evaluate (<c>--at</c>); null for "now".</param>
/// <param name="Window">The rate window; <paramref name="WindowText"/> is the same as typed, for PromQL.</param>
/// <param name="Service">The Jaeger service; null for every service except Jaeger's own.</param>
/// <param name="FailOn">Exit 1 on a finding of this severity or worse; null for <c>--fail-on none</c>.</param>
/// <param name="PrometheusToken">Bearer token from <c>PROMETHEUS_TOKEN</c>; never printed.</param>
/// <param name="JaegerToken">Bearer token from <c>JAEGER_TOKEN</c>; never printed.</param>
/// <param name="BaselineFile">The findings report <c>--baseline</c> named (or the newest in the folder it named); null without one.</param>
/// <param name="Baseline">What <paramref name="BaselineFile"/> holds, read before anything was asked.</param>
/// <param name="Database">The database <c>--database-url</c> names; null without one.</param>
internal sealed record DetectorSettings(
    Uri PrometheusUrl,
    Uri JaegerUrl,
    string OutputFolder,
    double ThresholdMs,
    DateTimeOffset? At,
    TimeSpan Window,
    string WindowText,
    string? Service,
    int Traces,
    Severity? FailOn,
    double TimeoutSeconds,
    string? PrometheusToken,
    string? JaegerToken,
    string? BaselineFile = null,
    DetectionSummary? Baseline = null,
    DatabaseTarget? Database = null)
{
    /// <summary>Records print their members; a token must never reach a log or an assertion message.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"DetectorSettings {{ PrometheusUrl = {PrometheusUrl}, JaegerUrl = {JaegerUrl}, OutputFolder = {OutputFolder}, ThresholdMs = {ThresholdMs}, At = {At:o}, Window = {WindowText}, Service = {Service}, Traces = {Traces}, FailOn = {FailOn}, TimeoutSeconds = {TimeoutSeconds}, BaselineFile = {BaselineFile}, Database = {Database?.Display} }}");
}
