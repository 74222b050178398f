using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>Writes and reads <c>performance_summary_*.csv</c>: one row per endpoint, from the same <see cref="EndpointStats"/> every report reads.</summary>
/// <remarks>
/// Columns: endpoint, count, measured, errors, error_kinds (<c>Timeout=2;Http5xx=1</c>), min_ms, mean_ms, p50_ms, p90_ms,
/// p95_ms, p99_ms, max_ms, stddev_ms, throughput_rps, server_time_mean_ms (empty when unknown).
/// Numbers have 3 decimals in the invariant culture, so a round trip is exact to 0.001 (to the µs for latency); text
/// cells are escaped against formula injection (<see cref="CsvFiles.EscapeText"/>). The ms columns are written from
/// the µs of <see cref="EndpointStats"/>: min, percentiles and max exactly (<see cref="Milliseconds.FromMicros"/>).
/// </remarks>
public static class SummaryCsv
{
    public static void Write(Stream destination, IEnumerable<EndpointStats> stats) => CsvFiles.WriteRows(destination, stats, ToRow);

    public static void WriteFile(string path, IEnumerable<EndpointStats> stats) =>
        AtomicFile.Write(path, stream => Write(stream, stats));

    /// <exception cref="InvalidDataException">The file is not a summary CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<EndpointStats> Read(Stream source) => CsvFiles.ReadRows<SummaryCsvRow, EndpointStats>(source, "summary CSV", FromRow);

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<EndpointStats> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static SummaryCsvRow ToRow(EndpointStats s) => new(
        CsvFiles.EscapeText(s.Label),
        s.Count,
        s.Measured,
        s.Errors,
        CsvFiles.EscapeText(FormatErrorKinds(s.ErrorsByKind)),
        Milliseconds.FromMicros(s.MinMicros),
        MsText(s.MeanMicros),
        Milliseconds.FromMicros(s.P50Micros),
        Milliseconds.FromMicros(s.P90Micros),
        Milliseconds.FromMicros(s.P95Micros),
        Milliseconds.FromMicros(s.P99Micros),
        Milliseconds.FromMicros(s.MaxMicros),
        MsText(s.StdDevMicros),
        CsvFiles.Fixed3(s.ThroughputRps),
        CsvFiles.Fixed3(s.ServerTimeMeanMs));

    private static EndpointStats FromRow(SummaryCsvRow r) => new(
        CsvFiles.UnescapeText(r.Endpoint),
        r.Count,
        r.Measured,
        r.Errors,
        ParseErrorKinds(CsvFiles.UnescapeText(r.ErrorKinds)),
        Milliseconds.ToMicros(r.MinMs),
        ExactMicros(r.MeanMs),
        Milliseconds.ToMicros(r.P50Ms),
        Milliseconds.ToMicros(r.P90Ms),
        Milliseconds.ToMicros(r.P95Ms),
        Milliseconds.ToMicros(r.P99Ms),
        Milliseconds.ToMicros(r.MaxMs),
        ExactMicros(r.StdDevMs),
        CsvFiles.ParseDouble(r.ThroughputRps),
        CsvFiles.ParseNullableDouble(r.ServerTimeMeanMs));

    /// <summary>A µs figure that is no whole number of µs (the mean, the standard deviation) as ms with the file's 3
    /// decimals; the page's summary table writes it so too.</summary>
    internal static string MsText(double micros) => Milliseconds.Text(micros / 1000.0, 3);

    /// <summary>The µs of a ms cell, exact in decimal arithmetic, so <see cref="MsText"/> writes the cell's digits again.</summary>
    private static double ExactMicros(string ms) =>
        (double)(decimal.Parse(ms, NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m);

    /// <summary>Kinds in <see cref="ErrorKind"/> order (unknown names after, by name), zero counts left out, so the text is stable.</summary>
    internal static string FormatErrorKinds(IReadOnlyDictionary<string, long> byKind) =>
        string.Join(';', byKind
            .Where(kv => kv.Value != 0)
            .OrderBy(kv => Enum.TryParse<ErrorKind>(kv.Key, out var kind) ? (int)kind : int.MaxValue)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));

    internal static IReadOnlyDictionary<string, long> ParseErrorKinds(string text)
    {
        var byKind = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"error_kinds entry '{part}' is not Kind=count");
            }

            byKind[part[..eq]] = long.Parse(part[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        return byKind;
    }
}

/// <summary>The text shape of one line of <c>performance_summary_*.csv</c>; <see cref="SummaryCsv"/> maps it to and from <see cref="Analysis.EndpointStats"/>.</summary>
/// <remarks>Millisecond columns are strings so the file always has exactly 3 decimals in the invariant culture.</remarks>
[CsvRecord]
internal sealed partial record SummaryCsvRow(
    [CsvColumn("endpoint")] string Endpoint,
    [CsvColumn("count")] long Count,
    [CsvColumn("measured")] long Measured,
    [CsvColumn("errors")] long Errors,
    [CsvColumn("error_kinds")] string ErrorKinds,
    [CsvColumn("min_ms")] string MinMs,
    [CsvColumn("mean_ms")] string MeanMs,
    [CsvColumn("p50_ms")] string P50Ms,
    [CsvColumn("p90_ms")] string P90Ms,
    [CsvColumn("p95_ms")] string P95Ms,
    [CsvColumn("p99_ms")] string P99Ms,
    [CsvColumn("max_ms")] string MaxMs,
    [CsvColumn("stddev_ms")] string StdDevMs,
    [CsvColumn("throughput_rps")] string ThroughputRps,
    [CsvColumn("server_time_mean_ms")] string ServerTimeMeanMs);
