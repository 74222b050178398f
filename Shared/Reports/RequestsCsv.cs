using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Http;

namespace PerfTools.Shared.Reports;

/// <summary>Writes and reads <c>performance_requests_*.csv</c>: one row per <see cref="RequestResult"/>, in the order given.</summary>
/// <remarks>
/// Columns: label, method, url, status, started_at (UTC, round-trip "O" format), lag_ms, ttfb_ms, total_ms, bytes,
/// trace_id, server_time_ms, error (<see cref="ErrorKind"/> name, empty for None), error_message.
/// µs are written as ms with 3 decimals and read back to the same µs; server_time_ms is written in its shortest
/// round-trip form. A null trace id or message is an empty field, and an empty field reads back as null.
/// </remarks>
public static class RequestsCsv
{
    public static void Write(Stream destination, IEnumerable<RequestResult> results)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(results);
        using var writer = CsvWriter.Create(destination, CsvFiles.WriterOptions, leaveOpen: true);
        writer.WriteHeader<RequestCsvRow>();
        foreach (var r in results)
        {
            writer.WriteRecord(ToRow(r));
        }
    }

    public static void WriteFile(string path, IEnumerable<RequestResult> results) =>
        AtomicFile.Write(path, stream => Write(stream, results));

    public static IReadOnlyList<RequestResult> Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var reader = CsvReader.Create(source, CsvFiles.ReaderOptions, leaveOpen: true);
        return reader.GetRecords<RequestCsvRow>().Select(FromRow).ToList();
    }

    public static IReadOnlyList<RequestResult> ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    private static RequestCsvRow ToRow(RequestResult r) => new(
        r.Label,
        r.Method,
        r.Url,
        r.StatusCode,
        r.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        CsvFiles.MicrosAsMs(r.LagMicros),
        CsvFiles.MicrosAsMs(r.TtfbMicros),
        CsvFiles.MicrosAsMs(r.TotalMicros),
        r.Bytes,
        r.TraceId ?? "",
        r.ServerTimeMs is { } server ? server.ToString("R", CultureInfo.InvariantCulture) : "",
        r.Error == ErrorKind.None ? "" : r.Error.ToString(),
        r.ErrorMessage ?? "");

    private static RequestResult FromRow(RequestCsvRow row) => new(
        row.Label,
        row.Method,
        row.Url,
        row.Status,
        DateTimeOffset.Parse(row.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        CsvFiles.MsAsMicros(row.LagMs),
        CsvFiles.MsAsMicros(row.TtfbMs),
        CsvFiles.MsAsMicros(row.TotalMs),
        row.Bytes,
        NullIfEmpty(row.TraceId),
        CsvFiles.ParseNullableDouble(row.ServerTimeMs),
        row.Error.Length == 0 ? ErrorKind.None : Enum.Parse<ErrorKind>(row.Error),
        NullIfEmpty(row.ErrorMessage));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
