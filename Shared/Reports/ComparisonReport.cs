using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports;

/// <summary>What <c>comparison_*.json</c> holds: the comparisons of one run with its baseline.</summary>
/// <param name="Baseline">The baseline file or folder, as the user gave it.</param>
/// <param name="GeneratedAt">When the comparison was made.</param>
/// <param name="Comparisons">One per endpoint or scenario, in the order the run reports them.</param>
public sealed record ComparisonReport(string Baseline, DateTimeOffset GeneratedAt, IReadOnlyList<LatencyComparison> Comparisons);
