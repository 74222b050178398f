using CsvHelper;

namespace PerfTools.Shared.Reports;

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
    [CsvColumn("verdict")] string Verdict);
