using System.Text.RegularExpressions;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>What missing_index reads from SQLite's <c>EXPLAIN QUERY PLAN</c> rows (<c>id, parent, notused, detail</c>):
/// the tables read by a full scan (<c>SCAN comments</c>; before 3.36 <c>SCAN TABLE comments</c>), as opposed to an index
/// search (<c>SEARCH comments USING INDEX …</c>) or a scan of a whole index (<c>SCAN t USING COVERING INDEX …</c>).</summary>
internal static partial class SqliteQueryPlan
{
    /// <param name="details">The <c>detail</c> column of each row.</param>
    /// <returns>Each fully scanned table as the plan names it (its alias when the statement gave one).</returns>
    public static IReadOnlyList<string> FullScans(IEnumerable<string> details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return details
            .Select(d => FullScan().Match(d.Trim()))
            .Where(m => m.Success)
            .Select(m => m.Groups["table"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether a row says an index is used: <c>SEARCH t USING [COVERING] INDEX i (…)</c>.</summary>
    public static bool UsesIndex(string detail) => detail.Contains(" INDEX ", StringComparison.Ordinal);

    // "SCAN comments", "SCAN TABLE comments", "SCAN c" (an alias); not "SCAN comments USING INDEX …", "SCAN CONSTANT ROW",
    // "SCAN SUBQUERY 1", "SCAN (subquery-1)".
    [GeneratedRegex(@"^SCAN (?:TABLE )?(?<table>(?!CONSTANT\b|SUBQUERY\b|\()[^\s]+)(?: AS \S+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FullScan();
}
