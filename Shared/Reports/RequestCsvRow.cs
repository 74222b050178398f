using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The text shape of one line of <c>performance_requests_*.csv</c>; <see cref="RequestsCsv"/> maps it to and from <see cref="Http.RequestResult"/>.</summary>
/// <remarks>Times are strings: µs written as ms with exactly 3 decimals, so they read back to the same µs.</remarks>
[CsvRecord]
internal sealed partial record RequestCsvRow(
    [CsvColumn("label")] string Label,
    [CsvColumn("method")] string Method,
    [CsvColumn("url")] string Url,
    [CsvColumn("status")] int Status,
    [CsvColumn("started_at")] string StartedAt,
    [CsvColumn("lag_ms")] string LagMs,
    [CsvColumn("ttfb_ms")] string TtfbMs,
    [CsvColumn("total_ms")] string TotalMs,
    [CsvColumn("bytes")] long Bytes,
    [CsvColumn("trace_id")] string TraceId,
    [CsvColumn("server_time_ms")] string ServerTimeMs,
    [CsvColumn("error")] string Error,
    [CsvColumn("error_message")] string ErrorMessage);
