using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports.Detector;

/// <summary>Writes and reads <c>bottleneck_findings_*.csv</c>: one row per finding, the JSON's finding fields; text cells
/// escaped against formula injection (<see cref="CsvFiles.EscapeText"/>), numbers not.</summary>
public static class FindingsCsv
{
    public static void Write(Stream destination, IEnumerable<Finding> findings) =>
        CsvFiles.WriteRows(destination, findings, f => new FindingsCsvRow(
            CsvFiles.EscapeText(f.Rule), CsvFiles.EscapeText(FindingsJson.SeverityName(f.Severity)), CsvFiles.EscapeText(f.Target),
            Number(f.Value), CsvFiles.EscapeText(f.Unit), f.Threshold is { } t ? Number(t) : "",
            CsvFiles.EscapeText(f.Evidence), CsvFiles.EscapeText(f.Recommendation)));

    public static void WriteFile(string path, IEnumerable<Finding> findings) => AtomicFile.Write(path, stream => Write(stream, findings));

    /// <exception cref="InvalidDataException">The file is not a findings CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<Finding> Read(Stream source) =>
        CsvFiles.ReadRows<FindingsCsvRow, Finding>(source, "findings CSV", r => new Finding(
            CsvFiles.UnescapeText(r.Rule), FindingsJson.ParseSeverity(CsvFiles.UnescapeText(r.Severity)), CsvFiles.UnescapeText(r.Target),
            CsvFiles.ParseDouble(r.Value), CsvFiles.UnescapeText(r.Unit), CsvFiles.ParseNullableDouble(r.Threshold),
            CsvFiles.UnescapeText(r.Evidence), CsvFiles.UnescapeText(r.Recommendation)));

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<Finding> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    // "R" keeps the exact double, so a round trip through the CSV is lossless.
    private static string Number(double value) => Math.Round(value, 6).ToString("R", CultureInfo.InvariantCulture);
}

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
