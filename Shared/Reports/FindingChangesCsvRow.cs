using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The text shape of one line of <c>bottleneck_comparison_*.csv</c>; numbers are strings so they stay invariant.</summary>
[CsvRecord]
internal sealed partial record FindingChangesCsvRow(
    [CsvColumn("status")] string Status,
    [CsvColumn("rule")] string Rule,
    [CsvColumn("target")] string Target,
    [CsvColumn("unit")] string Unit,
    [CsvColumn("severity_before")] string SeverityBefore,
    [CsvColumn("severity_after")] string SeverityAfter,
    [CsvColumn("value_before")] string ValueBefore,
    [CsvColumn("value_after")] string ValueAfter,
    [CsvColumn("change")] string Change,
    [CsvColumn("change_pct")] string ChangePercent,
    [CsvColumn("count_before")] string CountBefore,
    [CsvColumn("count_after")] string CountAfter);
