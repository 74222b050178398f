using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The text shape of one line of <c>simulation_*.csv</c>; <see cref="SimulationCsv"/> maps it to and from
/// <see cref="Analysis.SecondStats"/>. Millisecond columns are strings so they always have exactly 3 decimals.</summary>
[CsvRecord]
internal sealed partial record SimulationCsvRow(
    [CsvColumn("second")] int Second,
    [CsvColumn("sent")] long Sent,
    [CsvColumn("ok")] long Ok,
    [CsvColumn("errors")] long Errors,
    [CsvColumn("p50_ms")] string P50Ms,
    [CsvColumn("p99_ms")] string P99Ms,
    [CsvColumn("p99_uncorrected_ms")] string P99UncorrectedMs);
