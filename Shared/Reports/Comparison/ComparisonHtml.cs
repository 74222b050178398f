using System.Globalization;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Adds a run's comparison with its baseline to an <see cref="HtmlReport"/>: a section "Comparison with
/// baseline" with the tally of verdicts, a table (id <c>comparison</c>) and one sentence on the test.</summary>
public static class ComparisonHtml
{
    /// <summary>The id of the table, for readers and tests.</summary>
    public const string TableId = "comparison";

    /// <param name="baselineName">The baseline file or folder as the user gave it.</param>
    /// <param name="labelHeader">The first column's title: "endpoint" or "scenario".</param>
    public static void AddTo(HtmlReport report, IReadOnlyList<LatencyComparison> rows, string baselineName, string labelHeader = "label")
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(baselineName);
        ArgumentNullException.ThrowIfNull(labelHeader);
        report.AddHeading("Comparison with baseline");
        report.AddKeyValues([("Baseline", SafeText.Printable(baselineName))]);
        if (rows.Count == 0)
        {
            report.AddParagraph("Nothing to compare: no label is in both runs.");
            return;
        }

        report.AddVerdict(ComparisonFormat.Tally(rows), ComparisonFormat.TallyKind(rows));
        report.AddTable(
            [labelHeader, "n before", "n after", "p50 ms", "p95 ms", "p99 ms", "mean ms", $"shift ({ComparisonFormat.Confidence(rows)}% CI)", "p", "P(after > before)", "verdict"],
            rows.Select(c => (IReadOnlyList<string>)
            [
                SafeText.Printable(c.Label),
                c.NBefore.ToString(CultureInfo.InvariantCulture),
                c.NAfter.ToString(CultureInfo.InvariantCulture),
                ComparisonFormat.BeforeAfter(c.P50BeforeMs, c.P50AfterMs, c.P50ChangePct),
                ComparisonFormat.BeforeAfter(c.P95BeforeMs, c.P95AfterMs, c.P95ChangePct),
                ComparisonFormat.BeforeAfter(c.P99BeforeMs, c.P99AfterMs, c.P99ChangePct),
                ComparisonFormat.BeforeAfter(c.MeanBeforeMs, c.MeanAfterMs, c.MeanChangePct),
                c.Shift is null ? "n/a" : $"{ComparisonFormat.ShiftMs(c)}, {ComparisonFormat.ShiftPct(c)}",
                ComparisonFormat.P(c),
                ComparisonFormat.Superiority(c.Test),
                ComparisonFormat.VerdictText(c),
            ]),
            caption: "Latency before → after (change), ms",
            id: TableId);
        report.AddParagraph(ComparisonFormat.TestSentence(rows));
    }
}
