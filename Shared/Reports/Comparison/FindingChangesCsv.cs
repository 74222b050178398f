using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Detector;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Writes and reads <c>bottleneck_comparison_*.csv</c>: one row per rule and target compared with the baseline,
/// the JSON's <c>changes</c> fields; a side without the finding is an empty field. Text cells are escaped against formula
/// injection (<see cref="CsvFiles.EscapeText"/>); numbers are not.</summary>
public static class FindingChangesCsv
{
    public static void Write(Stream destination, IEnumerable<FindingChange> changes) =>
        CsvFiles.WriteRows(destination, changes, c => new FindingChangesCsvRow(
            CsvFiles.EscapeText(FindingChangesJson.StatusName(c.Status)),
            CsvFiles.EscapeText(c.Rule), CsvFiles.EscapeText(c.Target), CsvFiles.EscapeText(c.Unit),
            c.SeverityBefore is { } sb ? CsvFiles.EscapeText(FindingsJson.SeverityName(sb)) : "",
            c.SeverityAfter is { } sa ? CsvFiles.EscapeText(FindingsJson.SeverityName(sa)) : "",
            Number(c.ValueBefore), Number(c.ValueAfter), Number(c.Change), Number(c.ChangePercent),
            Count(c.CountBefore), Count(c.CountAfter)));

    public static void WriteFile(string path, IEnumerable<FindingChange> changes) => AtomicFile.Write(path, stream => Write(stream, changes));

    /// <exception cref="InvalidDataException">The file is not a findings comparison CSV: a column missing, a field that
    /// does not parse; one line naming the row.</exception>
    public static IReadOnlyList<FindingChange> Read(Stream source) =>
        CsvFiles.ReadRows<FindingChangesCsvRow, FindingChange>(source, "findings comparison CSV", r => new FindingChange(
            FindingChangesJson.ParseStatus(CsvFiles.UnescapeText(r.Status)),
            CsvFiles.UnescapeText(r.Rule), CsvFiles.UnescapeText(r.Target), CsvFiles.UnescapeText(r.Unit),
            r.SeverityBefore.Length == 0 ? null : FindingsJson.ParseSeverity(CsvFiles.UnescapeText(r.SeverityBefore)),
            r.SeverityAfter.Length == 0 ? null : FindingsJson.ParseSeverity(CsvFiles.UnescapeText(r.SeverityAfter)),
            Finite(CsvFiles.ParseNullableDouble(r.ValueBefore)), Finite(CsvFiles.ParseNullableDouble(r.ValueAfter)),
            ParseCount(r.CountBefore), ParseCount(r.CountAfter)));

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<FindingChange> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    // "R" keeps the exact double, so a round trip through the CSV is lossless.
    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, 6).ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static int ParseCount(string text) =>
        int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is var n and >= 0 ? n : throw new FormatException($"'{text}' is not a count");

    private static double? Finite(double? value) =>
        value is { } v && !double.IsFinite(v) ? throw new FormatException("not a finite number") : value;
}

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
