using System.Globalization;
using CsvHelper;

namespace PerfTools.Shared.Reports;

/// <summary>The one CSV dialect of every report file: RFC 4180, comma, CRLF, invariant culture, UTF-8 without BOM, and
/// text cells escaped against formula injection (<see cref="EscapeText"/>).</summary>
internal static class CsvFiles
{
    /// <summary>The mark <see cref="EscapeText"/> puts in front of a text cell; a spreadsheet shows the cell as text and
    /// hides the mark.</summary>
    public const char TextMark = '\'';

    /// <summary>What a spreadsheet may run as a formula when a cell starts with it (OWASP "CSV Injection").</summary>
    private const string FormulaStarts = "=+-@\t\r";

    public static CsvWriterOptions WriterOptions { get; } = CsvWriterOptions.Default with
    {
        FormatProvider = CultureInfo.InvariantCulture,
        // CsvHelper's own escaping would mark every string field, and the numbers here are strings (exact digits), so
        // -1.5 would become '-1.5; text cells are escaped one by one with EscapeText instead.
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
    };

    public static CsvReaderOptions ReaderOptions { get; } = CsvReaderOptions.Default with
    {
        FormatProvider = CultureInfo.InvariantCulture,
        AllowLineBreaksInQuotes = true, // RFC 4180: error messages may span lines
    };

    /// <summary>A text cell (a route, a URL, a message, a rule name: anything a server or a user controls) as written: with
    /// <see cref="TextMark"/> in front when it starts with a formula character (<c>= + - @</c>, tab, CR), so a
    /// spreadsheet does not run <c>=HYPERLINK(…)</c> from a server's error message. A text that starts with the mark
    /// itself gets one more, so <see cref="UnescapeText"/> can always take exactly one off: <c>'=x</c> is written
    /// <c>''=x</c> and reads back <c>'=x</c>. Numbers are never passed here: <c>-1.5</c> stays a number.</summary>
    public static string EscapeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && (text[0] == TextMark || FormulaStarts.Contains(text[0], StringComparison.Ordinal)) ? TextMark + text : text;
    }

    /// <summary>The inverse of <see cref="EscapeText"/>: a cell that starts with <see cref="TextMark"/> loses that one mark.</summary>
    public static string UnescapeText(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.StartsWith(TextMark) ? cell[1..] : cell;
    }

    /// <summary>Exactly 3 decimals (ms, rps), or "" for null.</summary>
    public static string Fixed3(double? value) =>
        value is { } v ? Math.Round(v, 3, MidpointRounding.AwayFromZero).ToString("F3", CultureInfo.InvariantCulture) : "";

    public static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double? ParseNullableDouble(string text) => text.Length == 0 ? null : ParseDouble(text);

    /// <summary>The header of <typeparamref name="TRow"/> (also without rows, so the file still says what it is), then
    /// one row per item, each converted by <paramref name="convert"/>.</summary>
    public static void WriteRows<T, TRow>(Stream destination, IEnumerable<T> items, Func<T, TRow> convert)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(items);
        using var writer = CsvWriter.Create(destination, WriterOptions, leaveOpen: true);
        writer.WriteHeader<TRow>();
        foreach (T item in items)
        {
            writer.WriteRecord(convert(item));
        }
    }

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
