using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The text shape of one line of <c>performance_summary_*.csv</c>; <see cref="SummaryCsv"/> maps it to and from <see cref="Analysis.EndpointStats"/>.</summary>
/// <remarks>Millisecond columns are strings so the file always has exactly 3 decimals in the invariant culture.</remarks>
[CsvRecord]
internal sealed partial record SummaryCsvRow(
    [CsvColumn("endpoint")] string Endpoint,
    [CsvColumn("count")] long Count,
    [CsvColumn("measured")] long Measured,
    [CsvColumn("errors")] long Errors,
    [CsvColumn("error_kinds")] string ErrorKinds,
    [CsvColumn("min_ms")] string MinMs,
    [CsvColumn("mean_ms")] string MeanMs,
    [CsvColumn("p50_ms")] string P50Ms,
    [CsvColumn("p90_ms")] string P90Ms,
    [CsvColumn("p95_ms")] string P95Ms,
    [CsvColumn("p99_ms")] string P99Ms,
    [CsvColumn("max_ms")] string MaxMs,
    [CsvColumn("stddev_ms")] string StdDevMs,
    [CsvColumn("throughput_rps")] string ThroughputRps,
    [CsvColumn("server_time_mean_ms")] string ServerTimeMeanMs);
