using System.Globalization;
using PerfTools.BottleneckDetector.Database;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector;

/// <summary>One detector run: the sources analysed at once (Prometheus, Jaeger and, with <c>--database-url</c>, the
/// database), one summary and one <see cref="DetectorReport"/>, then the console text and the reports all read from them
/// (STYLE habit 1); the text file is the printed text, not a second query.</summary>
/// <param name="database">The database side (<c>--database-url</c>); null for the wired-in one.</param>
internal sealed class DetectCommand(
    DetectorSettings settings,
    IMetricsAnalyzer metrics,
    ITracesAnalyzer traces,
    TextWriter stdout,
    TextWriter stderr,
    bool colour,
    Redactor redactor,
    TimeProvider time,
    IDatabaseAnalyzer? database = null)
{
    /// <summary>The message of a source the run stopped waiting for on Ctrl+C (its state says so too), as the findings
    /// report has always written it.</summary>
    public const string InterruptedBeforeAnswer = "interrupted before it answered";

    private const string ToolName = DetectorApp.ToolName;

    // Bars the chart draws, slowest routes first: a service of thousands of routes gives a chart of unreadable ticks
    // that took longer to render than the whole analysis.
    internal const int ChartRoutes = 30;

    private readonly Lock _stderrLock = new();

    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public async Task<int> ExecuteAsync(CancellationToken ct)
    {
        DateTimeOffset generatedAt = time.GetUtcNow();
        var metricsTask = GuardAsync("Prometheus", () => metrics.AnalyzeAsync(settings, ct), ct,
            status => new MetricsAnalysis(status, new Dictionary<string, string>(), [], [], [], [], null),
            settings.PrometheusUrl.AbsoluteUri);
        var tracesTask = GuardAsync("Jaeger", () => traces.AnalyzeAsync(settings, ct), ct,
            status => new TracesAnalysis(status, [], 0, []),
            settings.JaegerUrl.AbsoluteUri);
        // The database waits for the traces only when it keeps no statement statistics of its own.
        var databaseTask = settings.Database is { } target
            ? GuardAsync("the database", () => (database ?? new ExplainingDatabaseAnalyzer()).AnalyzeAsync(
                    settings, async () => (await tracesTask.ConfigureAwait(false)).Statements, ct), ct,
                status => new DatabaseAnalysis(status, [], []),
                target.Display)
            : Task.FromResult(ExplainingDatabaseAnalyzer.NotGiven);
        await Task.WhenAll(metricsTask, tracesTask, databaseTask).ConfigureAwait(false);
        MetricsAnalysis m = await metricsTask.ConfigureAwait(false);
        TracesAnalysis t = await tracesTask.ConfigureAwait(false);
        DatabaseAnalysis d = await databaseTask.ConfigureAwait(false);
        if (ct.IsCancellationRequested)
        {
            stderr.WriteLine(settings.Database is null
                ? "interrupted: stopped asking Prometheus and Jaeger; reporting what they answered before"
                : "interrupted: stopped asking Prometheus, Jaeger and the database; reporting what they answered before");
        }

        var summary = new DetectionSummary(
            generatedAt, settings.At, settings.WindowText, Redact(m.Status), m.Discovered.ToDictionary(d => d.Key, d => Redact(d.Value)),
            Redact(t.Status), m.Findings.Concat(t.Findings).Concat(d.Findings).Select(Redact).ToList())
        {
            Database = settings.Database is null ? null : Redact(d.Status),
        };

        FindingChanges? comparison = settings.Baseline is { } baseline
            ? Redact(FindingChanges.Compare(baseline, settings.BaselineFile!, summary, rule => Checked(baseline, rule), rule => Checked(summary, rule)))
            : null;

        // Held until the last file is written, so a run in the same second (another process too) takes _2.
        using (ReportClaim<DetectorReportPaths>? claim = ClaimReportNames(generatedAt))
        {
            var paths = claim?.Paths ?? new DetectorReportPaths(settings.OutputFolder, generatedAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture));
            var report = DetectorReport.Build(
                settings, summary, m, t, paths.Written(withComparison: comparison is not null), ct.IsCancellationRequested, comparison,
                d with { Lines = d.Lines.Select(Redact).ToList(), Fix = d.Fix is { } fix ? Redact(fix) : null });
            // Routes, operations and messages are the servers' text: no control character of theirs reaches the terminal.
            string text = SafeText.Printable(Redact(ConsoleReport.Render(report)), keepNewlines: true);
            await stdout.WriteAsync(colour ? ConsoleReport.Colourise(text) : text).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (claim is not null)
            {
                WriteReports(paths, text, report, m);
            }
        }

        if (ct.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }

        // Exit 3 when no source that was asked answered: Prometheus and Jaeger always are, the database with --database-url.
        if (!summary.Prometheus.Reachable && !summary.Jaeger.Reachable && summary.Database is not { Reachable: true })
        {
            return ExitCodes.SourcesUnreachable;
        }

        return settings.FailOn is { } failOn && summary.Findings.Any(f => f.Severity >= failOn) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>An analyzer that throws (a bug, or a cancelled run) must not lose the other source's results: one
    /// line says what happened and the source counts as unreachable.</summary>
    private async Task<T> GuardAsync<T>(
        string source, Func<Task<T>> analyze, CancellationToken ct, Func<SourceStatus, T> unreachable, string url)
    {
        try
        {
            // Task.Run: an analyzer doing synchronous work before its first await still runs beside the other.
            return await Task.Run(analyze, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return unreachable(new SourceStatus(url, SourceState.InterruptedBeforeAnswer, Message: InterruptedBeforeAnswer));
        }
        catch (Exception e)
        {
            string message = Redact(SafeText.Printable(SafeText.OneLine($"{e.GetType().Name}: {e.Message}")));
            lock (_stderrLock) // both analyses may fail at once, and a TextWriter is not thread-safe
            {
                stderr.WriteLine($"{ToolName}: {source} analysis failed ({message}); treating {source} as unreachable");
            }

            return unreachable(new SourceStatus(url, SourceState.AnalysisFailed, Message: message));
        }
    }

    /// <returns>Null when the folder cannot be written (said on stderr): the findings are still printed.</returns>
    private ReportClaim<DetectorReportPaths>? ClaimReportNames(DateTimeOffset generatedAt)
    {
        try
        {
            return DetectorReportPaths.Claim(settings.OutputFolder, generatedAt);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{ToolName}: could not write the reports in '{settings.OutputFolder}' ({SafeText.OneLine(e.Message)})");
            return null;
        }
    }

    private void WriteReports(DetectorReportPaths paths, string text, DetectorReport report, MetricsAnalysis m)
    {
        DetectionSummary summary = report.Summary;
        FindingChanges? comparison = report.Comparison;
        try
        {
            DetectorReportPaths.WriteText(paths.Text, text);
            FindingsJson.WriteFile(paths.Json, summary);
            FindingsCsv.WriteFile(paths.Csv, summary.Findings);
            if (comparison is not null)
            {
                FindingChangesJson.WriteFile(paths.ComparisonJson, comparison);
                FindingChangesCsv.WriteFile(paths.ComparisonCsv, comparison.Changes);
            }

            byte[] png = new DetectorChart().RenderPng(ChartData(report, m));
            DetectorReportPaths.WriteBytes(paths.Png, png);
            DetectorHtmlReport.Build(report, png, redactor).WriteFile(paths.Html);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{ToolName}: could not write the reports in '{settings.OutputFolder}' ({SafeText.OneLine(e.Message)})");
        }
    }

    private DetectorChartData ChartData(DetectorReport report, MetricsAnalysis m)
    {
        DetectionSummary summary = report.Summary;
        string why = report.Prometheus.NotChecked is { } notChecked ? $" (not checked: {notChecked})" : "";
        DateTimeOffset at = summary.EvaluatedAt ?? summary.GeneratedAt;
        string title = FormattableString.Invariant(
            $"Bottleneck report: {summary.Prometheus.Url}   {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC   window {summary.Window}");
        return new DetectorChartData(
            title,
            m.P95ByRoute.Take(ChartRoutes).Select(r => (r.Route, r.P95Ms)).ToList(),
            settings.ThresholdMs,
            m.Memory.OrderBy(p => p.At).Select(p => (p.At, p.Bytes)).ToList(),
            m.MemorySeries,
            "no latency by route" + why,
            "no memory series" + why);
    }

    /// <summary>Tokens are secrets: whatever an analyzer or an exception put in a message, they never leave the process.</summary>
    private string Redact(string text) => redactor.Redact(text);

    /// <summary>What the console does to its text, for each text of the HTML page: secrets masked, control characters escaped.</summary>
    private string Clean(string text) => SafeText.Printable(Redact(text), keepNewlines: true);

    /// <summary>Whether <paramref name="run"/> looked for findings of <paramref name="rule"/>: its sources answered and were
    /// not interrupted. A metric rule reads Prometheus (connection_pool reads traces too, as a help: Prometheus decides),
    /// missing_index also the database when one was given; a trace rule Jaeger; a rule of no source counts as checked.</summary>
    private static bool Checked(DetectionSummary run, string rule)
    {
        SourceStatus?[] sources = MetricRules.All.Any(r => r.Id == rule)
            ? [run.Prometheus, rule == MissingIndexRule.RuleId ? run.Database : null]
            : TraceRules.All.Any(r => r.Id == rule) || TraceRules.AcrossTraces.Any(r => r.Id == rule) ? [run.Jaeger]
            : [];
        return sources.OfType<SourceStatus>().All(s => s.Complete);
    }

    /// <summary>The baseline is a file from disk, perhaps not written by this tool: its text is masked and escaped like a server's.</summary>
    private FindingChanges Redact(FindingChanges c) => c with
    {
        BaselineFile = Clean(c.BaselineFile),
        BaselineWindow = Clean(c.BaselineWindow),
        Changes = c.Changes.Select(f => f with { Rule = Clean(f.Rule), Target = Redact(SafeText.Printable(f.Target)), Unit = Clean(f.Unit) }).ToList(),
    };

    private SourceStatus Redact(SourceStatus s) => s with { Url = Redact(s.Url), Message = s.Message is { } m ? Redact(m) : null };

    private Finding Redact(Finding f) => f with
    {
        Target = Redact(SafeText.Printable(f.Target)), Evidence = Redact(f.Evidence), Recommendation = Redact(f.Recommendation),
        NextSteps = f.NextSteps.Select(Redact).ToList(),
    };
}
