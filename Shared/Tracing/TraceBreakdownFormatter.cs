using System.Globalization;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Tracing;

/// <summary>Renders a <see cref="TraceBreakdown"/> as a few plain console lines, invariant culture, nothing invented.</summary>
public static class TraceBreakdownFormatter
{
    /// <summary>Operations listed on the spans line before the rest is summarised as "… n more".</summary>
    public const int MaxOperations = 5;

    /// <summary>Fingerprint lines printed under "repeated".</summary>
    public const int MaxRepeated = 3;

    private const int MaxStatementChars = 100;

    /// <param name="api">"v1" or "v3" when known: which Jaeger API the trace came from.</param>
    public static IReadOnlyList<string> Format(TraceBreakdown breakdown, string? api = null)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var lines = new List<string>();

        var header = new List<string>();
        if (breakdown.RootOperation is not null)
        {
            header.Add(breakdown.RootOperation);
        }

        header.Add(Ms(breakdown.TotalMs));
        header.Add(Invariant($"{breakdown.SpanCount} spans"));
        if (api is not null)
        {
            header.Add($"{api} API");
        }

        lines.Add($"trace {breakdown.TraceId} ({string.Join(", ", header)})");

        if (breakdown.Operations.Count > 0)
        {
            var shown = breakdown.Operations
                .Take(MaxOperations)
                .Select(o => Invariant($"{o.Service} {o.Operation} ×{o.Count} {Ms(o.TotalMs)}"));
            var more = breakdown.Operations.Count > MaxOperations
                ? Invariant($"; … {breakdown.Operations.Count - MaxOperations} more")
                : "";
            lines.Add("  spans: " + string.Join("; ", shown) + more);
        }

        if (breakdown.DbSpanCount == 0)
        {
            lines.Add("  db: no database spans in this trace");
            return lines;
        }

        var verbs = string.Join(", ", breakdown.DbVerbs.Select(v => Invariant($"{v.Verb} {v.Count}")));
        var queries = breakdown.DbSpanCount == 1 ? "query" : "queries";
        lines.Add(Invariant(
            $"  db: {breakdown.DbSpanCount} {queries} ({verbs}), {Ms(breakdown.DbMs)} = {breakdown.DbShare * 100:0.0}% of the request"));

        foreach (var stat in breakdown.RepeatedFingerprints.Take(MaxRepeated))
        {
            var hint = breakdown.NPlusOneHints.Any(h => h.Fingerprint == stat.Statement) ? " — N+1 hint" : "";
            lines.Add(Invariant($"  repeated: {stat.Count}× {Shorten(stat.Statement)} ({Ms(stat.TotalMs)}){hint}"));
        }

        return lines;
    }

    /// <summary>The lines joined with '\n', for a single write.</summary>
    public static string FormatText(TraceBreakdown breakdown, string? api = null) =>
        string.Join('\n', Format(breakdown, api));

    private static string Ms(double ms) => Milliseconds.Text(ms, 1) + " ms";

    private static string Shorten(string statement) => SafeText.Excerpt(statement, MaxStatementChars);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
