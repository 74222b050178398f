using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>One rule and target compared between a baseline detector run and this one: its status and its severity
/// and value before and after.</summary>
/// <remarks>A run can hold several findings of one rule and target (a slow trace per trace analysed); the row stands for
/// the worst of them (most severe, then the largest value, which is the worse one for every rule) and counts them.</remarks>
/// <param name="Unit">Unit of both values; findings in different units are never matched.</param>
/// <param name="SeverityBefore">Null when the baseline has no such finding.</param>
/// <param name="ValueAfter">Null when this run has no such finding.</param>
/// <param name="CountBefore">How many findings of this rule and target the baseline has.</param>
public sealed record FindingChange(
    FindingStatus Status,
    string Rule,
    string Target,
    string Unit,
    Severity? SeverityBefore,
    Severity? SeverityAfter,
    double? ValueBefore,
    double? ValueAfter,
    int CountBefore,
    int CountAfter)
{
    /// <summary>After minus before, in <see cref="Unit"/>, when both are known.</summary>
    public double? Change => ValueBefore is { } before && ValueAfter is { } after ? after - before : null;

    /// <summary>The change in percent of the value before; null when either is unknown or the value before is 0.</summary>
    public double? ChangePercent => ValueBefore is { } before && ValueAfter is { } after && before != 0
        ? (after - before) / Math.Abs(before) * 100
        : null;
}
