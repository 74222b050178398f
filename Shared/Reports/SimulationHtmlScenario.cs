using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports;

/// <summary>One scenario of a simulator run as <c>simulation_report_*.html</c> shows it: what it measured and its
/// chart, or why it was skipped.</summary>
/// <param name="Stats">What it measured (base URL masked); null when it was skipped.</param>
/// <param name="ChartPng">The chart as written to its <c>simulation_*.png</c>; null when not drawn.</param>
/// <param name="Note">Why it was skipped, or that it was interrupted; null when it simply ran.</param>
public sealed record SimulationHtmlScenario(string Name, SimulationStats? Stats, byte[]? ChartPng, string? Note);
