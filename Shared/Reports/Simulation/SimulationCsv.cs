using CsvHelper;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>Writes and reads <c>simulation_*.csv</c>: one row per second of a scenario, from the same
/// <see cref="SimulationStats"/> every report reads.</summary>
/// <remarks>Columns: second, sent, ok, errors (requests due in that second), p50_ms and p99_ms (corrected: from the
/// due time), p99_uncorrected_ms (raw: from the actual send); ms with 3 decimals, invariant culture, so the µs read
/// back exactly. Every column is a number, so no cell is escaped against formula injection (a text column added later
/// would go through <see cref="CsvFiles.EscapeText"/>).</remarks>
public static class SimulationCsv
{
    public static void Write(Stream destination, IEnumerable<SecondStats> seconds) =>
        CsvFiles.WriteRows(destination, seconds, s => new SimulationCsvRow(
            s.Second, s.Sent, s.Ok, s.Errors,
            Milliseconds.FromMicros(s.P50Micros), Milliseconds.FromMicros(s.P99Micros), Milliseconds.FromMicros(s.P99UncorrectedMicros)));

    public static void WriteFile(string path, IEnumerable<SecondStats> seconds) =>
        AtomicFile.Write(path, stream => Write(stream, seconds));

    /// <exception cref="InvalidDataException">The file is not a simulation CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<SecondStats> Read(Stream source) =>
        CsvFiles.ReadRows<SimulationCsvRow, SecondStats>(source, "simulation CSV", r => new SecondStats(
            r.Second, r.Sent, r.Ok, r.Errors,
            Milliseconds.ToMicros(r.P50Ms), Milliseconds.ToMicros(r.P99Ms), Milliseconds.ToMicros(r.P99UncorrectedMs)));

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<SecondStats> ReadFile(string path) => ReportReadError.FromFile(path, Read);
}

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
