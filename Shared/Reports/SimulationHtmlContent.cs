namespace PerfTools.Shared.Reports;

/// <summary>What <c>simulation_report_*.html</c> shows, every text already safe to show (secrets masked, control
/// characters escaped).</summary>
/// <param name="RunAt">When the run started (its clock time as given), for the title.</param>
/// <param name="Settings">The run's settings in the order shown, the base URL as the console shows it.</param>
/// <param name="Status">Lines about how the run went (interrupted, unreachable, every request failed); empty when it simply ran.</param>
/// <param name="Scenarios">Every scenario the run started, in order, skipped ones included.</param>
/// <param name="Comparison">The comparison with <c>--baseline</c>; null without one.</param>
public sealed record SimulationHtmlContent(
    DateTimeOffset RunAt,
    IReadOnlyList<(string Key, string Value)> Settings,
    IReadOnlyList<string> Status,
    IReadOnlyList<SimulationHtmlScenario> Scenarios,
    RunComparison? Comparison = null);
