using CsvHelper;
using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports;

/// <summary>Writes and reads <c>simulation_*.csv</c>: one row per second of a scenario, from the same
/// <see cref="SimulationStats"/> every report reads.</summary>
/// <remarks>Columns: second, sent, ok, errors (requests due in that second), p50_ms and p99_ms (corrected: from the
/// due time), p99_uncorrected_ms (raw: from the actual send); ms with 3 decimals, invariant culture, so the µs read
/// back exactly.</remarks>
public static class SimulationCsv
{
    public static void Write(Stream destination, IEnumerable<SecondStats> seconds)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(seconds);
        using var writer = CsvWriter.Create(destination, CsvFiles.WriterOptions, leaveOpen: true);
        writer.WriteHeader<SimulationCsvRow>();
        foreach (var s in seconds)
        {
            writer.WriteRecord(new SimulationCsvRow(
                s.Second, s.Sent, s.Ok, s.Errors,
                CsvFiles.MicrosAsMs(s.P50Micros), CsvFiles.MicrosAsMs(s.P99Micros), CsvFiles.MicrosAsMs(s.P99UncorrectedMicros)));
        }
    }

    public static void WriteFile(string path, IEnumerable<SecondStats> seconds) =>
        AtomicFile.Write(path, stream => Write(stream, seconds));

    /// <exception cref="InvalidDataException">The file is not a simulation CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<SecondStats> Read(Stream source) =>
        CsvFiles.ReadRows<SimulationCsvRow, SecondStats>(source, "simulation CSV", r => new SecondStats(
            r.Second, r.Sent, r.Ok, r.Errors,
            CsvFiles.MsAsMicros(r.P50Ms), CsvFiles.MsAsMicros(r.P99Ms), CsvFiles.MsAsMicros(r.P99UncorrectedMs)));

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<SecondStats> ReadFile(string path) => ReportReadError.FromFile(path, Read);
}
