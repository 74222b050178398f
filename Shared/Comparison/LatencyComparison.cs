using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>One endpoint's (or scenario's) latencies before and after, and whether the difference is significant;
/// made by <see cref="LatencyComparer"/>, read by every comparison report.</summary>
/// <param name="Label">The endpoint (<c>GET /boards/{id}</c>) or scenario name.</param>
/// <param name="NBefore">Samples of the baseline run.</param>
/// <param name="NAfter">Samples of this run.</param>
/// <param name="P50ChangePct">(after − before) / before · 100; null when the before value is 0. Likewise the other changes.</param>
/// <param name="Test">The Mann-Whitney U test of after against before; null when not tested (fewer than 2 samples on a side).</param>
/// <param name="Alpha">The significance level the verdict used.</param>
/// <remarks>Milliseconds; percentiles are nearest-rank and 0 for a side without samples.</remarks>
public sealed record LatencyComparison(
    string Label,
    long NBefore,
    long NAfter,
    double P50BeforeMs,
    double P50AfterMs,
    double? P50ChangePct,
    double P95BeforeMs,
    double P95AfterMs,
    double? P95ChangePct,
    double P99BeforeMs,
    double P99AfterMs,
    double? P99ChangePct,
    double MeanBeforeMs,
    double MeanAfterMs,
    double? MeanChangePct,
    MannWhitneyResult? Test,
    double Alpha,
    ComparisonVerdict Verdict);
