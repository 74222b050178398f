using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector;

/// <summary>Builds <c>bottleneck_report_&lt;ts&gt;.html</c>: the run's settings, what each source answered, the findings,
/// the chart, the trace analysis, recommendations, next steps and, with <c>--baseline</c>, the comparison; all from the
/// summary the console text reads (STYLE habit 1).</summary>
/// <remarks>Every text (settings, the servers' routes and messages, evidence) goes through <c>clean</c>, the same
/// masking of secrets and escaping of control characters as the console; <see cref="HtmlReport"/> then HTML-escapes it.
/// Tables have ids (<c>run</c>, <c>sources</c>, <c>comparison</c>, <c>findings</c>, <c>discovered</c>,
/// <c>recommendations</c>) for readers and tests.</remarks>
internal static class DetectorHtmlReport
{
    public static readonly IReadOnlyList<string> FindingsHeaders =
        ["rule", "severity", "target", "value", "unit", "threshold", "evidence", "recommendation"];

    public static readonly IReadOnlyList<string> ComparisonHeaders =
        ["status", "rule", "target", "severity before", "severity after", "value before", "value after", "change", "change %", "unit", "findings before", "findings after"];

    /// <summary>The console's "Slowest traces" section: shown under "Trace analysis", with what Jaeger answered.</summary>
    private static ReportSection TracesSection => ReportSection.All.Single(s => s.UsesJaeger && !s.UsesPrometheus);

    /// <param name="clean">Masks secrets and escapes control characters; applied to every text put on the page.</param>
    /// <param name="chartPng">The chart as written beside the page; null when it could not be drawn.</param>
    public static HtmlReport Build(
        DetectorSettings settings,
        DetectionSummary summary,
        MetricsAnalysis metrics,
        TracesAnalysis traces,
        FindingChanges? comparison,
        byte[]? chartPng,
        bool interrupted,
        Func<string, string> clean)
    {
        DateTimeOffset evaluated = summary.EvaluatedAt ?? summary.GeneratedAt;
        var html = new HtmlReport(clean($"Bottleneck report, {ConsoleReport.Instant(evaluated)}"));
        if (interrupted)
        {
            html.AddVerdict("interrupted: what follows is what Prometheus and Jaeger answered before the run was stopped", "neutral");
        }

        Verdict(html, settings, summary);

        html.AddHeading("Run");
        html.AddKeyValues(new (string, string)[]
        {
            ("evaluated at", ConsoleReport.Instant(evaluated) + (summary.EvaluatedAt is null ? " (now)" : "")),
            ("generated at", ConsoleReport.Instant(summary.GeneratedAt)),
            ("window", summary.Window),
            ("slow above", Number(settings.ThresholdMs) + " ms"),
            ("Prometheus", summary.Prometheus.Url),
            ("Jaeger", summary.Jaeger.Url),
            ("service", settings.Service ?? "every service except Jaeger's own"),
            ("traces analysed at most", settings.Traces.ToString(CultureInfo.InvariantCulture)),
            ("fail on", settings.FailOn is { } failOn ? Name(failOn) + " or worse" : "none"),
            ("timeout", Number(settings.TimeoutSeconds) + " s per request"),
            ("baseline", settings.BaselineFile ?? "none"),
        }.Select(kv => (kv.Item1, clean(kv.Item2))));

        html.AddHeading("Sources");
        html.AddTable(
            ["source", "URL", "status", "version / API", "message"],
            [
                Source("Prometheus", summary.Prometheus, clean),
                Source("Jaeger", summary.Jaeger, clean),
            ],
            id: "sources");
        html.AddPreformatted(clean(string.Join('\n', ConsoleReport.SourceLines(summary, metrics, traces))));

        if (comparison is not null)
        {
            Comparison(html, comparison, clean);
        }

        html.AddHeading("Findings");
        var findings = summary.Findings.OrderByDescending(f => f.Severity).ToList(); // stable: the rules' order within a severity
        if (findings.Count == 0)
        {
            html.AddParagraph(summary.Prometheus.Reachable || summary.Jaeger.Reachable
                ? "Nothing found."
                : "Nothing found: neither Prometheus nor Jaeger could be asked.");
        }

        html.AddTable(FindingsHeaders, findings.Select(f => (IReadOnlyList<string>)
        [
            clean(f.Rule), Name(f.Severity), clean(f.Target), ReportNumber(f.Value), clean(f.Unit),
            f.Threshold is { } t ? ReportNumber(t) : "", clean(f.Evidence), clean(f.Recommendation),
        ]), caption: "Findings, most severe first (values as in the JSON and CSV reports; a ratio of 0.05 is 5 %)", id: "findings");
        foreach (ReportSection section in ReportSection.All.Where(s => s != TracesSection))
        {
            html.AddHeading(section.Heading, 3);
            html.AddPreformatted(clean(string.Join('\n', ConsoleReport.SectionLines(section, summary))));
        }

        html.AddHeading("Chart");
        if (chartPng is not null)
        {
            html.AddImage(chartPng, clean($"p95 latency by route against the {Number(settings.ThresholdMs)} ms threshold, and memory over the {summary.Window} window"));
        }
        else
        {
            html.AddParagraph("The chart could not be drawn.");
        }

        html.AddHeading("Trace analysis");
        html.AddParagraph(clean(summary.Jaeger.Reachable
            ? string.Create(CultureInfo.InvariantCulture,
                $"Jaeger answered with API {summary.Jaeger.Api ?? "unknown"}; services: {(traces.Services.Count > 0 ? string.Join(", ", traces.Services) : "none")}; {traces.TracesAnalyzed} trace(s) analysed.")
            : $"Jaeger was not reachable ({summary.Jaeger.Message ?? "no answer"}): no trace was analysed."));
        html.AddPreformatted(clean(string.Join('\n',
            ConsoleReport.SectionLines(TracesSection, summary))));

        html.AddHeading("Recommendations");
        var recommendations = ConsoleReport.Recommendations(summary.Findings);
        if (recommendations.Count == 0)
        {
            html.AddParagraph("None: nothing was found.");
        }
        else
        {
            html.AddTable(["severity", "recommendation"],
                recommendations.Select(r => (IReadOnlyList<string>)[Name(r.Severity), clean(r.Recommendation)]), id: "recommendations");
        }

        html.AddHeading("Next steps");
        foreach (string step in ConsoleReport.NextSteps(settings, summary))
        {
            html.AddParagraph(clean("• " + step));
        }

        html.AddHeading("Discovered metrics");
        if (metrics.DiscoveryLines.Count == 0)
        {
            html.AddParagraph(summary.Prometheus.Reachable ? "Discovery found no known metrics." : "Prometheus was not asked: it was unreachable.");
        }
        else
        {
            html.AddTable(["role", "what was found"], metrics.DiscoveryLines.Select(l => l.Split(": ", 2)).Select(p => (IReadOnlyList<string>)
                [clean(p[0]), clean(p.Length > 1 ? p[1] : "")]), id: "discovered");
        }

        return html;
    }

    private static void Verdict(HtmlReport html, DetectorSettings settings, DetectionSummary summary)
    {
        if (!summary.Prometheus.Reachable && !summary.Jaeger.Reachable)
        {
            html.AddVerdict("nothing checked: neither Prometheus nor Jaeger could be reached", "bad");
            return;
        }

        var bySeverity = Enum.GetValues<Severity>().Reverse()
            .Select(s => (Severity: s, Count: summary.Findings.Count(f => f.Severity == s)))
            .Where(c => c.Count > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {Name(c.Severity)}"))
            .ToList();
        bool failing = settings.FailOn is { } failOn && summary.Findings.Any(f => f.Severity >= failOn);
        string text = bySeverity.Count == 0 ? "no findings" : $"findings: {string.Join(", ", bySeverity)}";
        html.AddVerdict(failing ? $"{text} (at or above --fail-on {Name(settings.FailOn!.Value)})" : text,
            failing ? "bad" : summary.Findings.Any(f => f.Severity >= Severity.Warning) ? "neutral" : "good");
    }

    private static void Comparison(HtmlReport html, FindingChanges comparison, Func<string, string> clean)
    {
        html.AddHeading("Compared with baseline");
        html.AddKeyValues(new (string, string)[]
        {
            ("baseline", comparison.BaselineFile),
            ("baseline evaluated at", ConsoleReport.Instant(comparison.BaselineEvaluatedAt ?? comparison.BaselineGeneratedAt)),
            ("baseline window", comparison.BaselineWindow),
        }.Select(kv => (kv.Item1, clean(kv.Item2))));
        int added = comparison.Count(FindingStatus.New);
        int gone = comparison.Count(FindingStatus.Gone);
        html.AddVerdict(ConsoleReport.CountsLine(comparison), added > 0 ? "bad" : gone > 0 ? "good" : "neutral");
        html.AddTable(ComparisonHeaders, comparison.Changes.Select(c => (IReadOnlyList<string>)
        [
            ConsoleReport.StatusText(c.Status), clean(c.Rule), clean(c.Target),
            c.SeverityBefore is { } sb ? Name(sb) : "", c.SeverityAfter is { } sa ? Name(sa) : "",
            c.ValueBefore is { } vb ? ReportNumber(vb) : "", c.ValueAfter is { } va ? ReportNumber(va) : "",
            c.Change is { } change ? Signed(change) : "", c.ChangePercent is { } pct ? Signed(pct) + "%" : "",
            clean(c.Unit), c.CountBefore.ToString(CultureInfo.InvariantCulture), c.CountAfter.ToString(CultureInfo.InvariantCulture),
        ]), caption: "New, remaining and gone findings, matched by rule, target and unit (values as in the comparison JSON and CSV)", id: "comparison");
    }

    private static IReadOnlyList<string> Source(string name, SourceStatus status, Func<string, string> clean) =>
    [
        name,
        clean(status.Url),
        status.Reachable
            ? status.Message?.StartsWith("interrupted", StringComparison.Ordinal) == true ? "reachable, interrupted" : "reachable"
            : "unreachable",
        clean(status.Api ?? ""),
        clean(status.Message ?? ""),
    ];

    private static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>As the JSON and CSV reports write it: 6 decimals at most, the shortest text that reads back the same.</summary>
    internal static string ReportNumber(double value) =>
        (double.IsFinite(value) ? Math.Round(value, 6) : 0).ToString("R", CultureInfo.InvariantCulture);

    private static string Signed(double value)
    {
        string text = ReportNumber(value);
        return value > 0 ? "+" + text : text;
    }
}
