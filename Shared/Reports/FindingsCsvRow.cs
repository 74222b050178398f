using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The text shape of one line of <c>bottleneck_findings_*.csv</c>; numbers are strings so they stay invariant.</summary>
[CsvRecord]
internal sealed partial record FindingsCsvRow(
    [CsvColumn("rule")] string Rule,
    [CsvColumn("severity")] string Severity,
    [CsvColumn("target")] string Target,
    [CsvColumn("value")] string Value,
    [CsvColumn("unit")] string Unit,
    [CsvColumn("threshold")] string Threshold,
    [CsvColumn("evidence")] string Evidence,
    [CsvColumn("recommendation")] string Recommendation);
