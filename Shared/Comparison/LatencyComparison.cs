using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>One endpoint's (or scenario's) latencies before and after, and whether the difference is significant;
/// made by <see cref="LatencyComparer"/>, read by every comparison report.</summary>
/// <param name="Label">The endpoint (<c>GET /boards/{id}</c>) or scenario name.</param>
/// <param name="NBefore">Samples of the baseline run.</param>
/// <param name="NAfter">Samples of this run.</param>
/// <param name="P50ChangePct">(after − before) / before · 100; null when the before value is 0. Likewise the other changes.</param>
/// <param name="Test">The plain two-sided Mann-Whitney U test of after against before (is there any difference at all);
/// null when not tested (fewer than 2 samples on a side). The verdict comes from <see cref="Threshold"/>.</param>
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
    ComparisonVerdict Verdict)
{
    /// <summary>The threshold test the verdict rests on; null when not tested, or read from a file written before it existed.</summary>
    public ThresholdTest? Threshold { get; init; }

    /// <summary>The Hodges–Lehmann shift after − before, ms, with its confidence interval at 1 − α; null when not tested.</summary>
    public ShiftEstimate? Shift { get; init; }

    /// <summary>The shift in percent of the baseline's p50 (null when that is 0 or there is no shift).</summary>
    public double? ShiftPct => Shift is { } s && P50BeforeMs != 0 ? s.Shift / P50BeforeMs * 100 : null;

    /// <summary>The interval's ends in percent of the baseline's p50, likewise.</summary>
    public (double Low, double High)? ShiftIntervalPct =>
        Shift is { } s && P50BeforeMs != 0 ? (s.Low / P50BeforeMs * 100, s.High / P50BeforeMs * 100) : null;

    /// <summary>The simulator's second look: the verdict on the uncorrected latencies (from the actual send, without
    /// the generator's lag); null when not compared (the analyzer, or a baseline without them). When it differs from
    /// the corrected one the <see cref="Verdict"/> is <see cref="ComparisonVerdict.Inconclusive"/>.</summary>
    public ComparisonVerdict? UncorrectedVerdict { get; init; }

    /// <summary>The simulator's load generator fell behind its schedule in this run or in the baseline (see
    /// <see cref="Analysis.GeneratorLag"/>): corrected latency then includes the generator's own lag, so a faster or
    /// slower <see cref="Verdict"/> reads <see cref="ComparisonVerdict.Inconclusive"/>.</summary>
    public bool GeneratorBehind { get; init; }
}

/// <summary>BenchmarkDotNet's threshold test: is "after" slower than "before" by more than <see cref="MinChangePct"/>
/// percent, or faster by more? Two one-sided Mann-Whitney tests, of after against before × (1 + P/100) ("slower") and
/// against before × (1 − P/100) ("faster").</summary>
/// <param name="MinChangePct">P, the change in percent below which a difference is treated as none (--min-change-pct).</param>
/// <param name="PSlower">One-sided p of "slower by more than P %".</param>
/// <param name="PFaster">One-sided p of "faster by more than P %".</param>
/// <param name="PValue">The row's p: twice the smaller one-sided p, at most 1 (the two-sided p when P is 0).</param>
/// <param name="PAdjusted">Holm–Bonferroni adjusted over the <paramref name="FamilySize"/> rows tested together; the
/// verdict is faster or slower when this is below α.</param>
/// <param name="FamilySize">How many rows were tested together (1: no adjustment).</param>
public sealed record ThresholdTest(double MinChangePct, double PSlower, double PFaster, double PValue, double PAdjusted, int FamilySize);
