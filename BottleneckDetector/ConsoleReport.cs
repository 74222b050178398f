using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector;

/// <summary>Renders one run as the console text: what each source answered and what discovery found, a section per
/// kind of problem, then recommendations and next steps. The same text is printed and saved as the .txt report.</summary>
internal static partial class ConsoleReport
{
    private const string Indent = "  ";

    public static string Render(
        DetectorSettings settings,
        DetectionSummary summary,
        MetricsAnalysis metrics,
        TracesAnalysis traces,
        DetectorReportPaths paths,
        bool interrupted = false,
        FindingChanges? comparison = null)
    {
        var text = new StringBuilder();
        DateTimeOffset evaluated = summary.EvaluatedAt ?? summary.GeneratedAt;
        Line(text, $"bottleneck_detector: evaluated at {Instant(evaluated)}{(summary.EvaluatedAt is null ? " (now)" : "")}, " +
            $"window {summary.Window}, slow above {Number(settings.ThresholdMs)} ms");
        if (interrupted)
        {
            Line(text, "interrupted: what follows is what Prometheus and Jaeger answered before the run was stopped");
        }

        Sources(text, summary, metrics, traces);

        var unplaced = summary.Findings.ToList();
        foreach (var section in ReportSection.All)
        {
            var findings = summary.Findings.Where(f => section.Rules.Contains(f.Rule)).ToList();
            unplaced.RemoveAll(findings.Contains);
            Section(text, section, findings, summary);
        }

        if (unplaced.Count > 0)
        {
            Section(text, new ReportSection("Other findings", [], false, false), unplaced, summary);
        }

        if (comparison is not null)
        {
            Heading(text, "Compared with baseline");
            foreach (string line in ComparisonLines(comparison))
            {
                Line(text, Indent + line);
            }
        }

        Heading(text, "Recommendations");
        var recommendations = Recommendations(summary.Findings);
        if (recommendations.Count == 0)
        {
            Line(text, Indent + "none: nothing was found" + (summary.Prometheus.Reachable || summary.Jaeger.Reachable ? "" : " (nothing could be checked)"));
        }

        foreach (var (severity, recommendation) in recommendations)
        {
            Line(text, $"{Indent}{Tag(severity)} {SafeText.OneLine(recommendation)}");
        }

        Heading(text, "Next steps");
        foreach (string step in NextSteps(settings, summary))
        {
            Line(text, $"{Indent}- {step}");
        }

        Heading(text, "Reports");
        foreach (string path in paths.Written(withComparison: comparison is not null))
        {
            Line(text, Indent + path);
        }

        return text.ToString();
    }

    /// <summary>The recommendations, most severe first, each once (the first, most severe, occurrence wins).</summary>
    public static IReadOnlyList<(Severity Severity, string Recommendation)> Recommendations(IEnumerable<Finding> findings) =>
        findings
            .Where(f => !string.IsNullOrWhiteSpace(f.Recommendation))
            .OrderByDescending(f => f.Severity) // stable: rules' own order within a severity
            .DistinctBy(f => f.Recommendation.Trim(), StringComparer.Ordinal)
            .Select(f => (f.Severity, f.Recommendation.Trim()))
            .ToList();

    /// <summary>Steps tied to what was found: a command to run or a trace to open per finding, and how to reach an
    /// unreachable source; de-duplicated, most severe first.</summary>
    public static IReadOnlyList<string> NextSteps(DetectorSettings settings, DetectionSummary summary)
    {
        var steps = new List<string>();
        if (IsInterrupted(summary.Prometheus) || IsInterrupted(summary.Jaeger))
        {
            steps.Add("the run was interrupted: run it again to the end for every check");
        }

        if (!summary.Prometheus.Reachable && summary.Prometheus.Message != DetectCommand.InterruptedBeforeAnswer)
        {
            steps.Add($"Prometheus was not reachable ({Why(summary.Prometheus)}): start it, or point at yours with " +
                "--prometheus-url URL (a bearer token is read from PROMETHEUS_TOKEN)");
        }

        if (!summary.Jaeger.Reachable && summary.Jaeger.Message != DetectCommand.InterruptedBeforeAnswer)
        {
            steps.Add($"Jaeger was not reachable ({Why(summary.Jaeger)}): start it, or point at its query service with " +
                "--jaeger-url URL (a bearer token is read from JAEGER_TOKEN)");
        }

        string jaeger = settings.JaegerUrl.AbsoluteUri.TrimEnd('/');
        foreach (var f in summary.Findings.OrderByDescending(f => f.Severity))
        {
            string? trace = TraceId().Match(f.Target + " " + f.Evidence) is { Success: true } m ? m.Value : null;
            string? step = f.Rule switch
            {
                "slow_endpoint" => $"measure it directly: {AnalyzerCommand(f.Target)}",
                "error_rate" => $"see which requests fail and how: {AnalyzerCommand(f.Target)} (errors by kind are listed)",
                "n_plus_one" or "repeated_calls" => trace is not null
                    ? $"open trace {trace} in Jaeger ({jaeger}/trace/{trace}) and batch the repeated statements under one parent"
                    : $"find the repeated calls of {f.Target} in Jaeger ({jaeger}) and batch them",
                "slow_trace" or "critical_path" => trace is not null
                    ? $"open trace {trace} in Jaeger ({jaeger}/trace/{trace}) and start with the longest span on its critical path"
                    : $"look at the slowest traces of {f.Target} in Jaeger ({jaeger})",
                "high_db_usage" or "slow_db_query" => $"run the statement of {f.Target} under EXPLAIN (QUERY PLAN) and look for a missing index",
                "memory_growth" or "high_memory" => $"watch {f.Target} over a longer window (--window 1h) and take a heap dump (dotnet-gcdump collect -p PID) if it keeps growing",
                "gc_pressure" => $"record allocations of {f.Target} (dotnet-trace collect -p PID --profile gc-verbose) under load",
                "cpu_saturation" => $"profile {f.Target} under load (dotnet-trace collect -p PID while ./simulate_bottleneck --scenario load runs)",
                _ => null,
            };
            if (step is not null && !steps.Contains(step, StringComparer.Ordinal))
            {
                steps.Add(step);
            }
        }

        if (summary.Findings.Count == 0 && (summary.Prometheus.Reachable || summary.Jaeger.Reachable))
        {
            steps.Add("nothing crossed a threshold: look harder with a lower --threshold-ms or a longer --window, " +
                "or at a past incident with --at TIME");
        }

        return steps;
    }

    /// <summary>The lines of one console section (without its heading), as <see cref="Render"/> prints them.</summary>
    public static IReadOnlyList<string> SectionLines(ReportSection section, DetectionSummary summary)
    {
        var text = new StringBuilder();
        Section(text, section, summary.Findings.Where(f => section.Rules.Contains(f.Rule)).ToList(), summary);
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Trim()).ToList();
    }

    /// <summary>What each source answered and what discovery found, as <see cref="Render"/> prints it.</summary>
    public static IReadOnlyList<string> SourceLines(DetectionSummary summary, MetricsAnalysis metrics, TracesAnalysis traces)
    {
        var text = new StringBuilder();
        Sources(text, summary, metrics, traces);
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The comparison with the baseline: where it came from, the counts, then one line per rule and target
    /// (<c>remaining  [critical → warning] GET /slow: slow_endpoint 812.5 ms → 650 ms (-162.5 ms, -20 %)</c>).</summary>
    public static IReadOnlyList<string> ComparisonLines(FindingChanges comparison)
    {
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

    /// <summary>"1 new, 2 remaining, 3 gone" (and "1 not checked" when any), or "no findings in either run".</summary>
    public static string CountsLine(FindingChanges comparison) =>
        comparison.Changes.Count == 0
            ? "no findings in either run"
            : string.Join(", ", Enum.GetValues<FindingStatus>()
                .Where(s => s != FindingStatus.NotChecked || comparison.Count(s) > 0)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{comparison.Count(s)} {StatusText(s)}")));

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

    public static string StatusText(FindingStatus status) => status == FindingStatus.NotChecked ? "not checked" : status.ToString().ToLowerInvariant();

    /// <summary>A value as the console shows it: a ratio in percent, otherwise with its unit.</summary>
    public static string Value(double value, string unit) => unit switch
    {
        "ratio" => Number(value * 100) + " %",
        "" => Number(value),
        _ => $"{Number(value)} {unit}",
    };

    /// <summary>ANSI colour for the severity tags, for a terminal only; the saved text stays plain.</summary>
    public static string Colourise(string text) =>
        text.Replace(Tag(Severity.Critical), $"\e[1;31m{Tag(Severity.Critical)}\e[0m", StringComparison.Ordinal)
            .Replace(Tag(Severity.Warning), $"\e[33m{Tag(Severity.Warning)}\e[0m", StringComparison.Ordinal)
            .Replace(Tag(Severity.Info), $"\e[36m{Tag(Severity.Info)}\e[0m", StringComparison.Ordinal);

    public static string Tag(Severity severity) => $"[{severity.ToString().ToLowerInvariant()}]";

    private static void Sources(StringBuilder text, DetectionSummary summary, MetricsAnalysis metrics, TracesAnalysis traces)
    {
        var prometheus = summary.Prometheus;
        Line(text, prometheus.Reachable
            ? $"Prometheus {prometheus.Url}: reachable{(prometheus.Api is { } v ? $", version {v}" : "")}{Partial(prometheus)}"
            : $"Prometheus {prometheus.Url}: unreachable ({Why(prometheus)})");
        if (metrics.DiscoveryLines.Count > 0)
        {
            foreach (string line in metrics.DiscoveryLines)
            {
                Line(text, Indent + SafeText.OneLine(line));
            }
        }
        else if (prometheus.Reachable)
        {
            Line(text, Indent + "discovery found no known metrics");
        }

        var jaeger = summary.Jaeger;
        if (jaeger.Reachable)
        {
            string services = traces.Services.Count > 0 ? string.Join(", ", traces.Services) : "none";
            Line(text, $"Jaeger {jaeger.Url}: reachable, API {jaeger.Api ?? "unknown"}; services: {services}; " +
                $"{traces.TracesAnalyzed} trace{(traces.TracesAnalyzed == 1 ? "" : "s")} analysed{Partial(jaeger)}");
        }
        else
        {
            Line(text, $"Jaeger {jaeger.Url}: unreachable ({Why(jaeger)})");
        }
    }

    private static void Section(StringBuilder text, ReportSection section, IReadOnlyList<Finding> findings, DetectionSummary summary)
    {
        Heading(text, section.Heading);
        var notChecked = new List<string>();
        if (section.UsesPrometheus && !summary.Prometheus.Reachable)
        {
            notChecked.Add($"Prometheus unreachable ({Why(summary.Prometheus)})");
        }

        if (section.UsesJaeger && !summary.Jaeger.Reachable)
        {
            notChecked.Add($"Jaeger unreachable ({Why(summary.Jaeger)})");
        }

        bool anySource = (section.UsesPrometheus && summary.Prometheus.Reachable) || (section.UsesJaeger && summary.Jaeger.Reachable)
            || section.Rules.Count == 0;
        foreach (var f in findings.OrderByDescending(f => f.Severity))
        {
            string threshold = f.Threshold is { } t ? $" (threshold {Value(t, f.Unit)})" : "";
            Line(text, $"{Indent}{Tag(f.Severity)} {SafeText.OneLine(f.Target)}: {f.Rule} {Value(f.Value, f.Unit)}{threshold}");
            Line(text, $"{Indent}    evidence: {SafeText.OneLine(f.Evidence)}");
        }

        if (findings.Count == 0 && anySource)
        {
            Line(text, Indent + "nothing found");
        }

        if (notChecked.Count > 0)
        {
            Line(text, $"{Indent}{(anySource ? "partly " : "")}not checked: {string.Join("; ", notChecked)}");
        }
    }

    private static bool IsInterrupted(SourceStatus status) => status.Message?.StartsWith("interrupted", StringComparison.Ordinal) == true;

    /// <summary>" (interrupted after 3 of 11 rules)" for a source that answered until Ctrl+C, else nothing.</summary>
    private static string Partial(SourceStatus status) =>
        status.Reachable && IsInterrupted(status) ? $" ({SafeText.OneLine(status.Message!.Split("; ")[0])})" : "";

    private static string Why(SourceStatus status) => SafeText.OneLine(status.Message ?? "no answer");

    private static string AnalyzerCommand(string target)
    {
        // Targets are "GET /boards/{id}" (method and route) or a bare route.
        string[] parts = target.Split(' ', 2, StringSplitOptions.TrimEntries);
        bool hasMethod = parts.Length == 2 && parts[0].All(char.IsAsciiLetterUpper) && parts[1].StartsWith('/');
        string path = hasMethod ? parts[1] : target.Trim();
        string method = hasMethod && parts[0] != "GET" ? $" --method {parts[0]}" : "";
        string ids = path.Contains('{') ? " (put real ids in place of the {…} parts)" : "";
        return $"./performance_analyzer --endpoint '{path}'{method} --iterations 50{ids}";
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture);

    private static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Heading(StringBuilder text, string heading)
    {
        text.Append('\n');
        Line(text, $"== {heading} ==");
    }

    // "\n" whatever the platform: the saved report is the same bytes everywhere.
    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    /// <summary>A W3C/Jaeger trace id: 32 (or 16, in older Jaeger) hex digits.</summary>
    [GeneratedRegex(@"\b(?:[0-9a-f]{32}|[0-9a-f]{16})\b", RegexOptions.CultureInvariant)]
    private static partial Regex TraceId();
}
