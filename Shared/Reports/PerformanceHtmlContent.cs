using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.Shared.Reports;

/// <summary>What <c>performance_report_*.html</c> shows, every text already safe to show (secrets masked, control
/// characters escaped), as the console showed it.</summary>
/// <param name="RunAt">When the run started (its clock time as given), for the title.</param>
/// <param name="Settings">The run's settings in the order shown, the base URL as the console shows it.</param>
/// <param name="Status">Lines about how the run went (interrupted, unreachable); empty when it simply ran.</param>
/// <param name="Stats">One per endpoint, the same the summary CSV is written from.</param>
/// <param name="Results">Every measured request, for the first message of each error kind.</param>
/// <param name="ChartPng">The chart as written to <c>performance_report_*.png</c>; null when it was not drawn.</param>
/// <param name="ChartMissing">Why there is no chart, when <paramref name="ChartPng"/> is null.</param>
/// <param name="TraceLines">The trace explanations as printed (or the line saying Jaeger was unreachable).</param>
/// <param name="TracesMissing">Why there are no trace explanations, when <paramref name="TraceLines"/> is empty.</param>
/// <param name="Comparison">The comparison with <c>--baseline</c>; null without one.</param>
public sealed record PerformanceHtmlContent(
    DateTimeOffset RunAt,
    IReadOnlyList<(string Key, string Value)> Settings,
    IReadOnlyList<string> Status,
    IReadOnlyList<EndpointStats> Stats,
    IReadOnlyList<RequestResult> Results,
    byte[]? ChartPng,
    string? ChartMissing,
    IReadOnlyList<string> TraceLines,
    string? TracesMissing,
    RunComparison? Comparison = null);
