using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports.Detector;

/// <summary>Writes and reads <c>bottleneck_findings_*.csv</c>: one row per finding, the JSON's finding fields.</summary>
public static class FindingsCsv
{
    public static void Write(Stream destination, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(findings);
        using var writer = CsvWriter.Create(destination, CsvFiles.WriterOptions, leaveOpen: true);
        writer.WriteHeader<FindingsCsvRow>();
        foreach (var f in findings)
        {
            writer.WriteRecord(new FindingsCsvRow(
                f.Rule, FindingsJson.SeverityName(f.Severity), f.Target, Number(f.Value), f.Unit,
                f.Threshold is { } t ? Number(t) : "", f.Evidence, f.Recommendation));
        }
    }

    public static void WriteFile(string path, IEnumerable<Finding> findings) => AtomicFile.Write(path, stream => Write(stream, findings));

    /// <exception cref="InvalidDataException">The file is not a findings CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<Finding> Read(Stream source) =>
        CsvFiles.ReadRows<FindingsCsvRow, Finding>(source, "findings CSV", r => new Finding(
            r.Rule, FindingsJson.ParseSeverity(r.Severity), r.Target, CsvFiles.ParseDouble(r.Value), r.Unit,
            CsvFiles.ParseNullableDouble(r.Threshold), r.Evidence, r.Recommendation));

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
