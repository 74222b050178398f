using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector;

/// <summary>How the detector words numbers, severities, instants, findings and changes, the same on the console and
/// on the page; numbers in the invariant culture.</summary>
internal static class DetectorText
{
    /// <summary><c>[critical] GET /slow: slow_endpoint 812.5 ms (threshold 500 ms)</c>.</summary>
    public static string Headline(Finding f)
    {
        string threshold = f.Threshold is { } t ? $" (threshold {Value(t, f.Unit)})" : "";
        return $"{Tag(f.Severity)} {SafeText.OneLine(f.Target)}: {f.Rule} {Value(f.Value, f.Unit)}{threshold}";
    }

    /// <summary>A value as the console shows it: a ratio in percent, otherwise with its unit.</summary>
    public static string Value(double value, string unit) => unit switch
    {
        "ratio" => Number(value * 100) + " %",
        "" => Number(value),
        _ => $"{Number(value)} {unit}",
    };

    /// <summary>The change of a remaining finding: "-162.5 ms, -20 %"; a ratio's change in percentage points.</summary>
    public static string ChangeText(FindingChange c)
    {
        if (c.Change is not { } change)
        {
            return "";
        }

        string absolute = c.Unit switch
        {
            "ratio" => Signed(change * 100) + " pp",
            "" => Signed(change),
            _ => $"{Signed(change)} {c.Unit}",
        };
        return c.ChangePercent is { } pct ? $"{absolute}, {Signed(pct)} %" : absolute;
    }

    /// <summary>"1 new, 2 remaining, 3 gone" (and "1 not checked" when any), or "no findings in either run".</summary>
    public static string CountsLine(FindingChanges comparison) =>
        comparison.Changes.Count == 0
            ? "no findings in either run"
            : string.Join(", ", Enum.GetValues<FindingStatus>()
                .Where(s => s != FindingStatus.NotChecked || comparison.Count(s) > 0)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{comparison.Count(s)} {StatusText(s)}")));

    public static string StatusText(FindingStatus status) => status == FindingStatus.NotChecked ? "not checked" : status.ToString().ToLowerInvariant();

    public static string Tag(Severity severity) => $"[{Name(severity)}]";

    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Signed(double value) => value.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture);

    /// <summary>As the JSON and CSV reports write it: 6 decimals at most, the shortest text that reads back the same.</summary>
    public static string ReportNumber(double value) =>
        (double.IsFinite(value) ? Math.Round(value, 6) : 0).ToString("R", CultureInfo.InvariantCulture);
}
