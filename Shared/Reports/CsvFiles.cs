using System.Globalization;
using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The one CSV dialect of every report file: RFC 4180, comma, CRLF, invariant culture, UTF-8 without BOM.</summary>
internal static class CsvFiles
{
    public static CsvWriterOptions WriterOptions { get; } = CsvWriterOptions.Default with
    {
        FormatProvider = CultureInfo.InvariantCulture,
        // URLs and messages are data, not spreadsheet formulas: written as they are so they read back unchanged.
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
    };

    public static CsvReaderOptions ReaderOptions { get; } = CsvReaderOptions.Default with
    {
        FormatProvider = CultureInfo.InvariantCulture,
        AllowLineBreaksInQuotes = true, // RFC 4180: error messages may span lines
    };

    /// <summary>Exactly 3 decimals (ms, rps), or "" for null.</summary>
    public static string Fixed3(double? value) =>
        value is { } v ? Math.Round(v, 3, MidpointRounding.AwayFromZero).ToString("F3", CultureInfo.InvariantCulture) : "";

    public static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double? ParseNullableDouble(string text) => text.Length == 0 ? null : ParseDouble(text);

    /// <summary>Every row of <paramref name="source"/>, each converted by <paramref name="convert"/>.</summary>
    /// <exception cref="InvalidDataException">A row, a field or the header is not what <typeparamref name="TRow"/> needs; one line naming the row.</exception>
    public static List<T> ReadRows<TRow, T>(Stream source, string report, Func<TRow, T> convert)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new List<T>();
        try
        {
            using var reader = CsvReader.Create(source, ReaderOptions, leaveOpen: true);
            foreach (var row in reader.GetRecords<TRow>())
            {
                try
                {
                    result.Add(convert(row));
                }
                catch (Exception e) when (ReportReadError.IsDataError(e))
                {
                    throw ReportReadError.Create(report, string.Create(CultureInfo.InvariantCulture, $"row {result.Count + 1}: {e.Message}"), e);
                }
            }
        }
        catch (Exception e) when (ReportReadError.IsDataError(e))
        {
            throw ReportReadError.Create(report, e.Message, e);
        }

        return result;
    }
}
