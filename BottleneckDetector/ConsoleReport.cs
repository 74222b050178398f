using System.Globalization;
using System.Text;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;
using static PerfTools.BottleneckDetector.DetectorText;

namespace PerfTools.BottleneckDetector;

/// <summary>Renders a <see cref="DetectorReport"/> as the console text: what each source answered (and, for one that
/// did not, how to reach it), a section per kind of problem, then recommendations and next steps. The same text is
/// printed and saved as the .txt report.</summary>
internal static class ConsoleReport
{
    private const string Indent = "  ";

    public static string Render(DetectorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        Line(text, $"bottleneck_detector: evaluated at {Instant(report.EvaluatedAt)}{(report.Summary.EvaluatedAt is null ? " (now)" : "")}, " +
            $"window {report.Summary.Window}, slow above {Number(report.Settings.ThresholdMs)} ms");
        if (report.Interrupted)
        {
            Line(text, "interrupted: what follows is what Prometheus and Jaeger answered before the run was stopped");
        }

        Source(text, report.Prometheus, report.Discovery, noDetails: report.Prometheus.Status.Reachable ? "discovery found no known metrics" : null);
        Source(text, report.Jaeger, [], null);
        Source(text, report.Database, report.DatabaseLines, null);

        foreach (SectionReport section in report.Sections)
        {
            Heading(text, section.Heading);
            foreach (Finding f in section.Findings)
            {
                Line(text, Indent + Headline(f));
                Line(text, $"{Indent}    evidence: {SafeText.OneLine(f.Evidence)}");
            }

            foreach (string note in section.Notes)
            {
                Line(text, Indent + note);
            }
        }

        if (report.Comparison is { } comparison)
        {
            Heading(text, "Compared with baseline");
            foreach (string line in ComparisonLines(comparison))
            {
                Line(text, Indent + line);
            }
        }

        Heading(text, "Recommendations");
        if (report.Recommendations.Count == 0)
        {
            Line(text, Indent + "none: nothing was found" + (report.NothingChecked ? " (nothing could be checked)" : ""));
        }

        foreach (var (severity, recommendation) in report.Recommendations)
        {
            Line(text, $"{Indent}{Tag(severity)} {SafeText.OneLine(recommendation)}");
        }

        Heading(text, "Next steps");
        foreach (string step in report.NextSteps)
        {
            Line(text, $"{Indent}- {SafeText.OneLine(step)}");
        }

        Heading(text, "Reports");
        foreach (string path in report.Files)
        {
            Line(text, Indent + path);
        }

        return text.ToString();
    }

    /// <summary>The comparison with the baseline: where it came from, the counts, then one line per rule and target
    /// (<c>remaining  [critical → warning] GET /slow: slow_endpoint 812.5 ms → 650 ms (-162.5 ms, -20 %)</c>).</summary>
    public static IReadOnlyList<string> ComparisonLines(FindingChanges comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var lines = new List<string>
        {
            $"baseline: {SafeText.OneLine(comparison.BaselineFile)} (evaluated at {Instant(comparison.BaselineEvaluatedAt ?? comparison.BaselineGeneratedAt)}, window {comparison.BaselineWindow})",
            CountsLine(comparison),
        };
        int width = comparison.Changes.Select(c => StatusText(c.Status).Length).DefaultIfEmpty(0).Max();
        foreach (FindingChange c in comparison.Changes)
        {
            string severity = (c.SeverityBefore, c.SeverityAfter) switch
            {
                ({ } b, { } a) when b != a => $"[{Name(b)} → {Name(a)}]",
                (_, { } a) => Tag(a),
                ({ } b, _) => Tag(b),
                _ => "",
            };
            string values = (c.ValueBefore, c.ValueAfter) switch
            {
                ({ } b, { } a) => $"{Value(b, c.Unit)} → {Value(a, c.Unit)} ({ChangeText(c)})",
                ({ } b, null) => Value(b, c.Unit),
                (null, { } a) => Value(a, c.Unit),
                _ => "",
            };
            string counts = c.CountBefore > 1 || c.CountAfter > 1
                ? string.Create(CultureInfo.InvariantCulture, $" ({c.CountBefore} → {c.CountAfter} findings)")
                : "";
            string why = c.Status != FindingStatus.NotChecked ? ""
                : c.SeverityAfter is null ? " (only in the baseline: this run could not check it)" : " (only now: the baseline could not check it)";
            lines.Add($"{StatusText(c.Status).PadRight(width)}  {severity} {SafeText.OneLine(c.Target)}: {c.Rule} {values}{counts}{why}");
        }

        return lines;
    }

    /// <summary>ANSI colour for the severity tags, for a terminal only; the saved text stays plain.</summary>
    public static string Colourise(string text) =>
        text.Replace(Tag(Severity.Critical), $"\e[1;31m{Tag(Severity.Critical)}\e[0m", StringComparison.Ordinal)
            .Replace(Tag(Severity.Warning), $"\e[33m{Tag(Severity.Warning)}\e[0m", StringComparison.Ordinal)
            .Replace(Tag(Severity.Info), $"\e[36m{Tag(Severity.Info)}\e[0m", StringComparison.Ordinal);

    /// <summary>The source's status line, what it told about itself (discovery), and the fix when it could not be reached.</summary>
    private static void Source(StringBuilder text, SourceReport source, IReadOnlyList<string> details, string? noDetails)
    {
        Line(text, SafeText.OneLine(source.Line));
        foreach (string detail in details)
        {
            Line(text, Indent + SafeText.OneLine(detail));
        }

        if (details.Count == 0 && noDetails is not null)
        {
            Line(text, Indent + noDetails);
        }

        if (source.Fix is { } fix)
        {
            Line(text, Indent + fix);
        }

        if (source.Hint is { } hint)
        {
            Line(text, Indent + hint);
        }
    }

    private static void Heading(StringBuilder text, string heading)
    {
        text.Append('\n');
        Line(text, $"== {heading} ==");
    }

    // "\n" whatever the platform: the saved report is the same bytes everywhere.
    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
