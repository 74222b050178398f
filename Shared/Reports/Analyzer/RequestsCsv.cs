using System.Globalization;
using CsvHelper;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>Writes and reads <c>performance_requests_*.csv</c>: one row per <see cref="RequestResult"/>, in the order given.</summary>
/// <remarks>
/// Columns: label, method, url, status, started_at (UTC, round-trip "O" format), lag_ms, ttfb_ms, total_ms, bytes,
/// trace_id, server_time_ms, error (<see cref="ErrorKind"/> name, empty for None), error_message.
/// µs are written as ms with 3 decimals and read back to the same µs; server_time_ms is written in its shortest
/// round-trip form. A null trace id or message is an empty field, and an empty field reads back as null. Text cells
/// (label, method, url, trace_id, error_message) are escaped against formula injection (<see cref="CsvFiles.EscapeText"/>);
/// started_at and error are the writer's own words and never start with a formula character.
/// </remarks>
public static class RequestsCsv
{
    public static void Write(Stream destination, IEnumerable<RequestResult> results) => CsvFiles.WriteRows(destination, results, ToRow);

    public static void WriteFile(string path, IEnumerable<RequestResult> results) =>
        AtomicFile.Write(path, stream => Write(stream, results));

    /// <exception cref="InvalidDataException">The file is not a requests CSV: a column missing, a field that does not parse; one line naming the row.</exception>
    public static IReadOnlyList<RequestResult> Read(Stream source) => CsvFiles.ReadRows<RequestCsvRow, RequestResult>(source, "requests CSV", FromRow);

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyList<RequestResult> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static RequestCsvRow ToRow(RequestResult r) => new(
        CsvFiles.EscapeText(r.Label),
        CsvFiles.EscapeText(r.Method),
        CsvFiles.EscapeText(r.Url),
        r.StatusCode,
        r.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        Milliseconds.FromMicros(r.LagMicros),
        Milliseconds.FromMicros(r.TtfbMicros),
        Milliseconds.FromMicros(r.TotalMicros),
        r.Bytes,
        CsvFiles.EscapeText(r.TraceId ?? ""),
        r.ServerTimeMs is { } server ? server.ToString("R", CultureInfo.InvariantCulture) : "",
        r.Error == ErrorKind.None ? "" : r.Error.ToString(),
        CsvFiles.EscapeText(r.ErrorMessage ?? ""));

    private static RequestResult FromRow(RequestCsvRow row) => new(
        CsvFiles.UnescapeText(row.Label),
        CsvFiles.UnescapeText(row.Method),
        CsvFiles.UnescapeText(row.Url),
        row.Status,
        DateTimeOffset.Parse(row.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        Milliseconds.ToMicros(row.LagMs),
        Milliseconds.ToMicros(row.TtfbMs),
        Milliseconds.ToMicros(row.TotalMs),
        row.Bytes,
        NullIfEmpty(CsvFiles.UnescapeText(row.TraceId)),
        CsvFiles.ParseNullableDouble(row.ServerTimeMs),
        row.Error.Length == 0 ? ErrorKind.None : ParseErrorKind(row.Error),
        NullIfEmpty(CsvFiles.UnescapeText(row.ErrorMessage)));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    // By name only: Enum.Parse would also take "7" or "Timeout, Dns" and make a kind that does not exist.
    private static ErrorKind ParseErrorKind(string text) =>
        Enum.GetNames<ErrorKind>().Contains(text, StringComparer.Ordinal)
            ? Enum.Parse<ErrorKind>(text)
            : throw new FormatException($"unknown error kind '{text}'");
}

/// <summary>The text shape of one line of <c>performance_requests_*.csv</c>; <see cref="RequestsCsv"/> maps it to and from <see cref="Http.RequestResult"/>.</summary>
/// <remarks>Times are strings: µs written as ms with exactly 3 decimals, so they read back to the same µs.</remarks>
[CsvRecord]
internal sealed partial record RequestCsvRow(
    [CsvColumn("label")] string Label,
    [CsvColumn("method")] string Method,
    [CsvColumn("url")] string Url,
    [CsvColumn("status")] int Status,
    [CsvColumn("started_at")] string StartedAt,
    [CsvColumn("lag_ms")] string LagMs,
    [CsvColumn("ttfb_ms")] string TtfbMs,
    [CsvColumn("total_ms")] string TotalMs,
    [CsvColumn("bytes")] long Bytes,
    [CsvColumn("trace_id")] string TraceId,
    [CsvColumn("server_time_ms")] string ServerTimeMs,
    [CsvColumn("error")] string Error,
    [CsvColumn("error_message")] string ErrorMessage);
