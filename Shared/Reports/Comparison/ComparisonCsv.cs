using CsvHelper;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Writes and reads <c>comparison_*.csv</c>: one row per endpoint or scenario of a run compared with its
/// baseline, from the same <see cref="LatencyComparison"/> the console and HTML show.</summary>
/// <remarks>
/// Columns: label, n_before, n_after, p50_before_ms, p50_after_ms, p50_change_pct, the same three for p95, p99 and
/// mean, test (<c>mann-whitney-u</c>), method (<c>exact</c> or <c>normal approximation, tie- and continuity-corrected</c>),
/// u (of the run against the baseline), z, p_value (two-sided), prob_superiority (U/(n_before·n_after)), alpha,
/// verdict (<c>faster</c>, <c>slower</c>, <c>no significant change</c>, <c>inconclusive</c>, <c>not enough samples</c>),
/// then the threshold test the verdict rests on: min_change_pct, p_slower and p_faster (one-sided), p_threshold (twice
/// the smaller), p_adjusted (Holm–Bonferroni over family_size rows), and the Hodges–Lehmann shift after − before:
/// shift_ms, shift_low_ms, shift_high_ms (its interval at confidence), shift_pct (of p50 before), and
/// uncorrected_verdict (the simulator's verdict on latencies from the actual send; empty otherwise), generator_behind
/// (<c>true</c> when the simulator fell behind its schedule in either run, which makes a faster or slower inconclusive). ms and percent
/// have 3 decimals; u, z, the p-values, prob_superiority, alpha and confidence are written to read back exactly
/// (<c>1E-40</c> stays so); a change is empty when the baseline value is 0, the test columns when it was not run. Invariant culture. Text
/// cells (label, test, method, verdict) are escaped against formula injection (<see cref="CsvFiles.EscapeText"/>).
/// </remarks>
public static class ComparisonCsv
{
    private const string Report = "comparison CSV";

    public static void Write(Stream destination, IEnumerable<LatencyComparison> comparisons) =>
        CsvFiles.WriteRows(destination, comparisons, ToRow);

    public static void WriteFile(string path, IEnumerable<LatencyComparison> comparisons) =>
        AtomicFile.Write(path, stream => Write(stream, comparisons));

    /// <exception cref="InvalidDataException">Not a comparison CSV: a column missing, a field that does not parse, an
    /// unknown verdict or test; one line naming the row.</exception>
    public static IReadOnlyList<LatencyComparison> Read(Stream source) =>
        CsvFiles.ReadRows<ComparisonCsvRow, LatencyComparison>(source, Report, FromRow);

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<LatencyComparison> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static ComparisonCsvRow ToRow(LatencyComparison c)
    {
        MannWhitneyResult? t = c.Test;
        return new(
            CsvFiles.EscapeText(c.Label), c.NBefore, c.NAfter,
            CsvFiles.Fixed3(c.P50BeforeMs), CsvFiles.Fixed3(c.P50AfterMs), CsvFiles.Fixed3(c.P50ChangePct),
            CsvFiles.Fixed3(c.P95BeforeMs), CsvFiles.Fixed3(c.P95AfterMs), CsvFiles.Fixed3(c.P95ChangePct),
            CsvFiles.Fixed3(c.P99BeforeMs), CsvFiles.Fixed3(c.P99AfterMs), CsvFiles.Fixed3(c.P99ChangePct),
            CsvFiles.Fixed3(c.MeanBeforeMs), CsvFiles.Fixed3(c.MeanAfterMs), CsvFiles.Fixed3(c.MeanChangePct),
            t is null ? "" : CsvFiles.EscapeText(ComparisonFields.TestName),
            CsvFiles.EscapeText(t?.Method ?? ""),
            t is null ? "" : ComparisonFields.Exact(t.U),
            t is null ? "" : ComparisonFields.Exact(t.Z),
            t is null ? "" : ComparisonFields.Exact(t.PValue),
            t is null ? "" : ComparisonFields.Exact(t.ProbabilityOfSuperiority),
            ComparisonFields.Exact(c.Alpha),
            CsvFiles.EscapeText(c.Verdict.ToText()),
            c.Threshold is { } th ? ComparisonFields.Exact(th.MinChangePct) : "",
            c.Threshold is { } t1 ? ComparisonFields.Exact(t1.PSlower) : "",
            c.Threshold is { } t2 ? ComparisonFields.Exact(t2.PFaster) : "",
            c.Threshold is { } t3 ? ComparisonFields.Exact(t3.PValue) : "",
            c.Threshold is { } t4 ? ComparisonFields.Exact(t4.PAdjusted) : "",
            c.Threshold is { } t5 ? t5.FamilySize.ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            c.Shift is { } sh ? CsvFiles.Fixed3(sh.Shift) : "",
            c.Shift is { } s1 ? CsvFiles.Fixed3(s1.Low) : "",
            c.Shift is { } s2 ? CsvFiles.Fixed3(s2.High) : "",
            CsvFiles.Fixed3(c.ShiftPct),
            c.Shift is { } s3 ? ComparisonFields.Exact(s3.Confidence) : "",
            CsvFiles.EscapeText(c.UncorrectedVerdict?.ToText() ?? ""),
            c.GeneratorBehind ? "true" : "false");
    }

    private static LatencyComparison FromRow(ComparisonCsvRow r)
    {
        long nBefore = ComparisonFields.Count(r.NBefore, "n_before");
        long nAfter = ComparisonFields.Count(r.NAfter, "n_after");
        return new LatencyComparison(
            CsvFiles.UnescapeText(r.Label), nBefore, nAfter,
            Number(r.P50BeforeMs, "p50_before_ms"), Number(r.P50AfterMs, "p50_after_ms"), Nullable(r.P50ChangePct, "p50_change_pct"),
            Number(r.P95BeforeMs, "p95_before_ms"), Number(r.P95AfterMs, "p95_after_ms"), Nullable(r.P95ChangePct, "p95_change_pct"),
            Number(r.P99BeforeMs, "p99_before_ms"), Number(r.P99AfterMs, "p99_after_ms"), Nullable(r.P99ChangePct, "p99_change_pct"),
            Number(r.MeanBeforeMs, "mean_before_ms"), Number(r.MeanAfterMs, "mean_after_ms"), Nullable(r.MeanChangePct, "mean_change_pct"),
            ComparisonFields.Test(
                CsvFiles.UnescapeText(r.Test), nBefore, nAfter, CsvFiles.UnescapeText(r.Method), Nullable(r.U, "u"), Nullable(r.Z, "z"), Nullable(r.PValue, "p_value"),
                Nullable(r.ProbSuperiority, "prob_superiority")),
            Number(r.Alpha, "alpha"),
            ComparisonVerdicts.Parse(CsvFiles.UnescapeText(r.Verdict)))
        {
            Threshold = ComparisonFields.Threshold(
                Nullable(r.MinChangePct, "min_change_pct"), Nullable(r.PSlower, "p_slower"), Nullable(r.PFaster, "p_faster"),
                Nullable(r.PThreshold, "p_threshold"), Nullable(r.PAdjusted, "p_adjusted"), Nullable(r.FamilySize, "family_size")),
            Shift = ComparisonFields.Shift(
                Nullable(r.ShiftMs, "shift_ms"), Nullable(r.ShiftLowMs, "shift_low_ms"), Nullable(r.ShiftHighMs, "shift_high_ms"),
                Nullable(r.Confidence, "confidence")),
            UncorrectedVerdict = CsvFiles.UnescapeText(r.UncorrectedVerdict) is { Length: > 0 } u ? ComparisonVerdicts.Parse(u) : null,
            GeneratorBehind = r.GeneratorBehind switch
            {
                "true" => true,
                "false" => false,
                _ => throw new FormatException($"generator_behind '{r.GeneratorBehind}' is not true or false"),
            },
        };
    }

    private static double Number(string text, string name) => ComparisonFields.Number(text, name);

    private static double? Nullable(string text, string name) => ComparisonFields.NullableNumber(text, name);
}

/// <summary>The text shape of one line of <c>comparison_*.csv</c>; <see cref="ComparisonCsv"/> maps it to and from
/// <see cref="Analysis.LatencyComparison"/>.</summary>
/// <remarks>Numbers are strings so the file has exactly the digits <see cref="ComparisonCsv"/> documents, in the invariant
/// culture; the test columns are empty when a side had fewer than 2 samples.</remarks>
[CsvRecord]
internal sealed partial record ComparisonCsvRow(
    [CsvColumn("label")] string Label,
    [CsvColumn("n_before")] long NBefore,
    [CsvColumn("n_after")] long NAfter,
    [CsvColumn("p50_before_ms")] string P50BeforeMs,
    [CsvColumn("p50_after_ms")] string P50AfterMs,
    [CsvColumn("p50_change_pct")] string P50ChangePct,
    [CsvColumn("p95_before_ms")] string P95BeforeMs,
    [CsvColumn("p95_after_ms")] string P95AfterMs,
    [CsvColumn("p95_change_pct")] string P95ChangePct,
    [CsvColumn("p99_before_ms")] string P99BeforeMs,
    [CsvColumn("p99_after_ms")] string P99AfterMs,
    [CsvColumn("p99_change_pct")] string P99ChangePct,
    [CsvColumn("mean_before_ms")] string MeanBeforeMs,
    [CsvColumn("mean_after_ms")] string MeanAfterMs,
    [CsvColumn("mean_change_pct")] string MeanChangePct,
    [CsvColumn("test")] string Test,
    [CsvColumn("method")] string Method,
    [CsvColumn("u")] string U,
    [CsvColumn("z")] string Z,
    [CsvColumn("p_value")] string PValue,
    [CsvColumn("prob_superiority")] string ProbSuperiority,
    [CsvColumn("alpha")] string Alpha,
    [CsvColumn("verdict")] string Verdict,
    [CsvColumn("min_change_pct")] string MinChangePct,
    [CsvColumn("p_slower")] string PSlower,
    [CsvColumn("p_faster")] string PFaster,
    [CsvColumn("p_threshold")] string PThreshold,
    [CsvColumn("p_adjusted")] string PAdjusted,
    [CsvColumn("family_size")] string FamilySize,
    [CsvColumn("shift_ms")] string ShiftMs,
    [CsvColumn("shift_low_ms")] string ShiftLowMs,
    [CsvColumn("shift_high_ms")] string ShiftHighMs,
    [CsvColumn("shift_pct")] string ShiftPct,
    [CsvColumn("confidence")] string Confidence,
    [CsvColumn("uncorrected_verdict")] string UncorrectedVerdict,
    [CsvColumn("generator_behind")] string GeneratorBehind);
