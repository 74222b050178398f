using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Text;
using PerfTools.Shared.Tracing;
using static PerfTools.BottleneckDetector.DetectorText;

namespace PerfTools.BottleneckDetector;

/// <summary>Renders a <see cref="DetectorReport"/> as <c>bottleneck_report_&lt;ts&gt;.html</c>: the run's settings, what
/// each source answered and how to reach one that did not, with <c>--baseline</c> the comparison, the findings, each
/// section, the chart, the trace analysis, recommendations, next steps and the metrics discovered; the same model, so
/// the same words, as the console text.</summary>
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

    /// <param name="chartPng">The chart as written beside the page; null when it could not be drawn.</param>
    /// <param name="redactor">The run's masking; with control characters escaped after it, applied to every text put on the page.</param>
    public static HtmlReport Build(DetectorReport report, byte[]? chartPng, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(redactor);
        string clean(string text) => SafeText.Printable(redactor.Redact(text), keepNewlines: true);
        DetectorSettings settings = report.Settings;
        DetectionSummary summary = report.Summary;
        var html = new HtmlReport(clean($"Bottleneck report, {Instant(report.EvaluatedAt)}"));
        if (report.Interrupted)
        {
            html.AddVerdict("interrupted: what follows is what Prometheus and Jaeger answered before the run was stopped", "neutral");
        }

        Verdict(html, report);

        html.AddHeading("Run");
        html.AddSettings(new RunSettingsTable(redactor)
            .Add("evaluated at", Instant(report.EvaluatedAt) + (summary.EvaluatedAt is null ? " (now)" : ""))
            .Add("generated at", Instant(summary.GeneratedAt))
            .Add("window", summary.Window)
            .Add("slow above", Number(settings.ThresholdMs) + " ms")
            .Add("Prometheus", summary.Prometheus.Url)
            .Add("Jaeger", summary.Jaeger.Url)
            .Add("service", settings.Service ?? "every service except Jaeger's own")
            .Add("traces analysed at most", settings.Traces.ToString(CultureInfo.InvariantCulture))
            .Add("fail on", settings.FailOn is { } failOn ? Name(failOn) + " or worse" : "none")
            .Add("timeout", Number(settings.TimeoutSeconds) + " s per request")
            .Add("baseline", settings.BaselineFile ?? "none")
            .Add("database", settings.Database?.Display ?? "none"));

        html.AddHeading("Sources");
        html.AddTable(
            ["source", "URL", "status", "version / API", "message", "to fix"],
            [Source(report.Prometheus, clean), Source(report.Jaeger, clean), Source(report.Database, clean)],
            id: "sources");

        if (report.Comparison is { } comparison)
        {
            Comparison(html, comparison, clean);
        }

        html.AddHeading("Findings");
        var findings = report.FindingsBySeverity;
        if (findings.Count == 0)
        {
            html.AddParagraph(report.NothingChecked
                ? summary.Database is null ? "Nothing found: neither Prometheus nor Jaeger could be asked." : "Nothing found: none of Prometheus, Jaeger and the database could be asked."
                : "Nothing found.");
        }

        html.AddTable(FindingsHeaders, findings.Select(f => (IReadOnlyList<string>)
        [
            clean(f.Rule), Name(f.Severity), clean(f.Target), ReportNumber(f.Value), clean(f.Unit),
            f.Threshold is { } t ? ReportNumber(t) : "", clean(f.Evidence), clean(f.Recommendation),
        ]), caption: "Findings, most severe first (values as in the JSON and CSV reports; a ratio of 0.05 is 5 %)", id: "findings");
        foreach (SectionReport section in report.Sections)
        {
            html.AddHeading(section.Heading, 3);
            var lines = section.Findings.SelectMany(f => new[] { Headline(f), $"    evidence: {SafeText.OneLine(f.Evidence)}" }).Concat(section.Notes);
            html.AddPreformatted(clean(string.Join('\n', lines)));
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
        html.AddParagraph(clean(report.Jaeger.NotChecked is { } notChecked
            ? $"Not checked ({notChecked}): no trace was analysed."
            : string.Create(CultureInfo.InvariantCulture,
                $"Jaeger answered with API {summary.Jaeger.Api ?? "unknown"}; services: {(report.Services.Count > 0 ? string.Join(", ", report.Services) : "none")}; {report.TracesAnalyzed} trace(s) analysed.")));

        html.AddHeading("Database");
        html.AddParagraph(clean(report.Database.NotChecked is { } databaseNotChecked
            ? $"Not checked ({databaseNotChecked}): no statement was EXPLAINed."
            : summary.Database is null
                ? $"Not given: {report.Database.Hint}."
                : string.Join(" ", report.DatabaseLines.Select(l => l.EndsWith('.') ? l : l + "."))));

        html.AddHeading("Recommendations");
        if (report.Recommendations.Count == 0)
        {
            html.AddParagraph("None: nothing was found.");
        }
        else
        {
            html.AddTable(["severity", "recommendation"],
                report.Recommendations.Select(r => (IReadOnlyList<string>)[Name(r.Severity), clean(r.Text)]), id: "recommendations");
        }

        html.AddHeading("Next steps");
        foreach (string step in report.NextSteps)
        {
            html.AddParagraph(clean("• " + step));
        }

        html.AddHeading("Discovered metrics");
        if (report.Discovery.Count == 0)
        {
            html.AddParagraph(report.Prometheus.NotChecked is { } why ? $"Not checked ({clean(why)})." : "Discovery found no known metrics.");
        }
        else
        {
            html.AddTable(["role", "what was found"], report.Discovery.Select(l => l.Split(": ", 2)).Select(p => (IReadOnlyList<string>)
                [clean(p[0]), clean(p.Length > 1 ? p[1] : "")]), id: "discovered");
        }

        return html;
    }

    private static void Verdict(HtmlReport html, DetectorReport report)
    {
        if (report.NothingChecked)
        {
            html.AddVerdict(report.Summary.Database is null
                ? "nothing checked: neither Prometheus nor Jaeger could be reached"
                : "nothing checked: none of Prometheus, Jaeger and the database could be reached", "bad");
            return;
        }

        var findings = report.Summary.Findings;
        var bySeverity = Enum.GetValues<Severity>().Reverse()
            .Select(s => (Severity: s, Count: findings.Count(f => f.Severity == s)))
            .Where(c => c.Count > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {Name(c.Severity)}"))
            .ToList();
        Severity? failOn = report.Settings.FailOn;
        bool failing = failOn is { } level && findings.Any(f => f.Severity >= level);
        string text = bySeverity.Count == 0 ? "no findings" : $"findings: {string.Join(", ", bySeverity)}";
        html.AddVerdict(failing ? $"{text} (at or above --fail-on {Name(failOn!.Value)})" : text,
            failing ? "bad" : findings.Any(f => f.Severity >= Severity.Warning) ? "neutral" : "good");
    }

    private static void Comparison(HtmlReport html, FindingChanges comparison, Func<string, string> clean)
    {
        html.AddHeading("Compared with baseline");
        html.AddKeyValues(new (string, string)[]
        {
            ("baseline", comparison.BaselineFile),
            ("baseline evaluated at", Instant(comparison.BaselineEvaluatedAt ?? comparison.BaselineGeneratedAt)),
            ("baseline window", comparison.BaselineWindow),
        }.Select(kv => (kv.Item1, clean(kv.Item2))));
        int added = comparison.Count(FindingStatus.New);
        int gone = comparison.Count(FindingStatus.Gone);
        html.AddVerdict(CountsLine(comparison), added > 0 ? "bad" : gone > 0 ? "good" : "neutral");
        html.AddTable(ComparisonHeaders, comparison.Changes.Select(c => (IReadOnlyList<string>)
        [
            StatusText(c.Status), clean(c.Rule), clean(c.Target),
            c.SeverityBefore is { } sb ? Name(sb) : "", c.SeverityAfter is { } sa ? Name(sa) : "",
            c.ValueBefore is { } vb ? ReportNumber(vb) : "", c.ValueAfter is { } va ? ReportNumber(va) : "",
            c.Change is { } change ? SignedReportNumber(change) : "", c.ChangePercent is { } pct ? SignedReportNumber(pct) + "%" : "",
            clean(c.Unit), c.CountBefore.ToString(CultureInfo.InvariantCulture), c.CountAfter.ToString(CultureInfo.InvariantCulture),
        ]), caption: "New, remaining and gone findings, matched by rule, target and unit (values as in the comparison JSON and CSV)", id: "comparison");
    }

    /// <summary>A row of the sources table: its state in words, never read from its message.</summary>
    private static IReadOnlyList<string> Source(SourceReport source, Func<string, string> clean) =>
    [
        source.Name,
        clean(source.Status.Url),
        source.Hint is not null ? source.Answer : source.Status.State switch
        {
            SourceState.Reachable => "reachable",
            SourceState.Interrupted => "reachable, interrupted",
            SourceState.InterruptedBeforeAnswer => "interrupted before it answered",
            SourceState.AnalysisFailed => "analysis failed",
            _ => "unreachable",
        },
        clean(source.Status.Api ?? ""),
        clean(source.Status.Message ?? ""),
        clean(source.Fix ?? source.Hint ?? ""),
    ];

    private static string SignedReportNumber(double value)
    {
        string text = ReportNumber(value);
        return value > 0 ? "+" + text : text;
    }
}
