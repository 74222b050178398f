using System.Globalization;
using PerfTools.BottleneckDetector.Database;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;

namespace PerfTools.BottleneckDetector;

/// <summary>One detector run as its reports show it: what each source answered and how to reach one that did not,
/// a section per kind of problem with its findings or why it was not checked, the recommendations, the next steps and
/// the comparison. Built once per run; <see cref="ConsoleReport"/> and <see cref="DetectorHtmlReport"/> render it and
/// decide nothing themselves (STYLE habits 1 and 13).</summary>
/// <param name="Summary">The run's findings and sources, as the JSON and CSV reports hold them.</param>
/// <param name="Interrupted">Ctrl+C or SIGTERM stopped the run: what follows is what the sources answered before.</param>
/// <param name="Discovery">What metric discovery found and did not, one line per role.</param>
/// <param name="Services">The Jaeger services looked at.</param>
/// <param name="Recommendations">The findings' recommendations, most severe first, each once.</param>
/// <param name="NextSteps">The findings' own next steps, most severe first, each once, and the run's (run it again, look harder).</param>
/// <param name="Files">The report files of the run, in the order the console lists them.</param>
internal sealed record DetectorReport(
    DetectorSettings Settings,
    DetectionSummary Summary,
    bool Interrupted,
    SourceReport Prometheus,
    SourceReport Jaeger,
    IReadOnlyList<string> Discovery,
    IReadOnlyList<string> Services,
    int TracesAnalyzed,
    IReadOnlyList<SectionReport> Sections,
    IReadOnlyList<(Severity Severity, string Text)> Recommendations,
    IReadOnlyList<string> NextSteps,
    FindingChanges? Comparison,
    IReadOnlyList<string> Files)
{
    public DateTimeOffset EvaluatedAt => Summary.EvaluatedAt ?? Summary.GeneratedAt;

    /// <summary>The database <c>--database-url</c> named; its <see cref="SourceReport.Answer"/> says <c>not given</c> without one.</summary>
    public SourceReport Database { get; init; } = SourceReport.NotGiven;

    /// <summary>What the database told about itself and what was EXPLAINed, one line each (empty without one).</summary>
    public IReadOnlyList<string> DatabaseLines { get; init; } = [];

    /// <summary>No source that was asked answered (Prometheus, Jaeger, and the database when given): nothing was checked.</summary>
    public bool NothingChecked => !Summary.Prometheus.Reachable && !Summary.Jaeger.Reachable && Summary.Database is not { Reachable: true };

    /// <summary>The findings, most severe first (stable: the rules' own order within a severity).</summary>
    public IReadOnlyList<Finding> FindingsBySeverity => Summary.Findings.OrderByDescending(f => f.Severity).ToList();

    public static DetectorReport Build(
        DetectorSettings settings,
        DetectionSummary summary,
        MetricsAnalysis metrics,
        TracesAnalysis traces,
        IReadOnlyList<string> files,
        bool interrupted,
        FindingChanges? comparison = null,
        DatabaseAnalysis? database = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(files);
        var prometheus = SourceReport.Of("Prometheus", summary.Prometheus, "--prometheus-url", "yours", "PROMETHEUS_TOKEN",
            summary.Prometheus.Api is { } version ? $"version {version}" : "");
        string services = traces.Services.Count > 0 ? string.Join(", ", traces.Services) : "none";
        var jaeger = SourceReport.Of("Jaeger", summary.Jaeger, "--jaeger-url", "its query service", "JAEGER_TOKEN",
            string.Create(CultureInfo.InvariantCulture,
                $"API {summary.Jaeger.Api ?? "unknown"}; services: {services}; {traces.TracesAnalyzed} trace{(traces.TracesAnalyzed == 1 ? "" : "s")} analysed"));

        var databaseReport = summary.Database is { } databaseStatus
            ? SourceReport.OfDatabase(databaseStatus, database?.Fix)
            : SourceReport.NotGiven;

        var sections = new List<SectionReport>();
        var unplaced = summary.Findings.ToList();
        foreach (ReportSection section in ReportSection.All)
        {
            var findings = summary.Findings.Where(f => section.Rules.Contains(f.Rule)).ToList();
            unplaced.RemoveAll(findings.Contains);
            var reads = new List<SourceReport>();
            if (section.UsesPrometheus)
            {
                reads.Add(prometheus);
            }

            if (section.UsesJaeger)
            {
                reads.Add(jaeger);
            }

            if (section.UsesDatabase && summary.Database is not null)
            {
                reads.Add(databaseReport);
            }

            sections.Add(SectionReport.Of(section.Heading, findings, reads, section.UsesDatabase ? Coverage(metrics, prometheus, jaeger, summary.Database) : []));
        }

        if (unplaced.Count > 0)
        {
            sections.Add(SectionReport.Of("Other findings", unplaced, []));
        }

        return new DetectorReport(
            settings, summary, interrupted, prometheus, jaeger, metrics.DiscoveryLines, traces.Services, traces.TracesAnalyzed,
            sections, Recommend(summary.Findings), Steps(summary), comparison, files)
        {
            Database = databaseReport,
            DatabaseLines = database?.Lines ?? [],
        };
    }

    /// <summary>What the database rules could not look at, in their own words; only where Prometheus answered, as
    /// discovery tells what it holds (a section of an unreachable source says so already).</summary>
    private static IReadOnlyList<string> Coverage(MetricsAnalysis metrics, SourceReport prometheus, SourceReport jaeger, SourceStatus? database)
    {
        if (metrics.Metrics is not { } discovered || prometheus.NotChecked is not null)
        {
            return [];
        }

        return new[] { ConnectionPoolRule.Coverage(discovered, jaeger.NotChecked is null), MissingIndexRule.Coverage(discovered, database) }
            .OfType<string>()
            .ToList();
    }

    /// <summary>The recommendations, most severe first, each once (the first, most severe, occurrence wins).</summary>
    private static IReadOnlyList<(Severity, string)> Recommend(IEnumerable<Finding> findings) =>
        findings
            .Where(f => !string.IsNullOrWhiteSpace(f.Recommendation))
            .OrderByDescending(f => f.Severity) // stable: rules' own order within a severity
            .DistinctBy(f => f.Recommendation.Trim(), StringComparer.Ordinal)
            .Select(f => (f.Severity, f.Recommendation.Trim()))
            .ToList();

    /// <summary>The findings' own steps, most severe first and each once, after the one the run itself needs; an
    /// unreachable source is not repeated here: its fix is said once, with its status.</summary>
    private static IReadOnlyList<string> Steps(DetectionSummary summary)
    {
        var steps = new List<string>();
        var asked = new[] { summary.Prometheus, summary.Jaeger, summary.Database }.OfType<SourceStatus>().ToList();
        if (asked.Any(s => s.State is SourceState.Interrupted or SourceState.InterruptedBeforeAnswer))
        {
            steps.Add("the run was interrupted: run it again to the end for every check");
        }

        foreach (var f in summary.Findings.OrderByDescending(f => f.Severity))
        {
            steps.AddRange(f.NextSteps.Where(s => !string.IsNullOrWhiteSpace(s) && !steps.Contains(s, StringComparer.Ordinal)));
        }

        if (summary.Findings.Count == 0 && asked.Any(s => s.Reachable))
        {
            steps.Add("nothing crossed a threshold: look harder with a lower --threshold-ms or a longer --window, " +
                "or at a past incident with --at TIME");
        }

        if (asked.All(s => s.State == SourceState.Unreachable))
        {
            steps.Add("nothing could be checked: reach the sources first (how is said under each at the top)");
        }

        return steps;
    }
}

/// <summary>One source as the reports show it.</summary>
/// <param name="Answer">What it answered, after its name and URL: <c>reachable, version 2.53.0</c>,
/// <c>unreachable (connection refused)</c>, <c>interrupted before it answered</c>.</param>
/// <param name="Fix">How to reach it, for a source that could not be reached; said once, with its status.</param>
/// <param name="NotChecked">What a section that reads this source says instead of its findings (<c>Prometheus
/// unreachable</c>, <c>interrupted</c>); null when it answered.</param>
internal sealed record SourceReport(string Name, SourceStatus Status, string Answer, string? Fix, string? NotChecked)
{

    /// <summary>It answered but the run stopped before every rule over it ran.</summary>
    public bool Partial => Status.State == SourceState.Interrupted;

    /// <summary>No <c>--database-url</c>: nothing asked, and how to ask it.</summary>
    public static SourceReport NotGiven { get; } = new(
        "Database", new SourceStatus("", SourceState.Unreachable), "not given", null, null)
    {
        Hint = "add --database-url (a postgres:// URL or a SQLite file) to EXPLAIN the slowest statements, read-only, for missing indexes",
    };

    /// <summary>What to do with a source that was not asked at all; null for one that was.</summary>
    public string? Hint { get; init; }

    /// <summary>The status line: <c>Database postgres://***@127.0.0.1:5432/forum: reachable, PostgreSQL 15.18</c>, or
    /// <c>Database: not given</c>.</summary>
    public string Line => Status.Url.Length == 0 ? $"{Name}: {Answer}" : $"{Name} {Status.Url}: {Answer}";

    /// <summary>The database as the reports show it: unreachable with the analyzer's own fix (start it, the right
    /// URL, the password), and its sections <c>not checked (database unreachable)</c>.</summary>
    public static SourceReport OfDatabase(SourceStatus status, string? fix)
    {
        ArgumentNullException.ThrowIfNull(status);
        var report = Of("Database", status, "--database-url", "it", "PGPASSWORD", status.Api ?? "");
        return status.State switch
        {
            SourceState.Unreachable => report with
            {
                Fix = fix ?? "start it, or pass the right --database-url (host, port, database, user and password)",
                NotChecked = "database unreachable",
            },
            SourceState.AnalysisFailed => report with { NotChecked = "database analysis failed" },
            _ => report,
        };
    }

    /// <param name="option">The option that points at it, for the fix.</param>
    /// <param name="yours">What the fix calls the user's own instance of it.</param>
    /// <param name="tokenVariable">Where its bearer token is read from.</param>
    /// <param name="reachable">What a source that answered answered: the version, the API and what was analysed.</param>
    public static SourceReport Of(string name, SourceStatus status, string option, string yours, string tokenVariable, string reachable)
    {
        string? message = status.Message is { Length: > 0 } m ? m : null;
        string answered = reachable.Length == 0 ? "reachable" : $"reachable, {reachable}";
        return status.State switch
        {
            SourceState.Reachable or SourceState.Interrupted =>
                new(name, status, message is null ? answered : $"{answered} ({message})", null, null),
            SourceState.InterruptedBeforeAnswer => new(name, status, "interrupted before it answered", null, "interrupted"),
            SourceState.AnalysisFailed => new(name, status, $"analysis failed ({message ?? "no message"})", null, $"{name} analysis failed"),
            _ => new(name, status, $"unreachable ({message ?? "no answer"})",
                $"start it, or point at {yours} with {option} URL; a bearer token is read from {tokenVariable}", $"{name} unreachable"),
        };
    }
}

/// <summary>One section of the reports: its findings, most severe first, and what it says besides them
/// (<c>nothing found</c>, <c>not checked (Prometheus unreachable)</c>, <c>partly not checked (Jaeger unreachable)</c>).</summary>
internal sealed record SectionReport(string Heading, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Notes)
{
    /// <param name="sources">The sources the section's rules read; none for a section of findings of unknown rules.</param>
    /// <param name="lacking">The rules' own notes on evidence they lacked (<c>missing_index: table statistics only; …</c>).</param>
    public static SectionReport Of(string heading, IReadOnlyList<Finding> findings, IReadOnlyList<SourceReport> sources, IReadOnlyList<string>? lacking = null)
    {
        var answered = sources.Where(s => s.NotChecked is null).ToList();
        bool anyChecked = sources.Count == 0 || answered.Count > 0;
        var notes = new List<string>();
        if (findings.Count == 0 && anyChecked)
        {
            notes.Add(answered.Any(s => s.Partial) ? "nothing found before the run was interrupted" : "nothing found");
        }

        notes.AddRange(lacking ?? []);

        var reasons = sources.Select(s => s.NotChecked).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (reasons.Count > 0)
        {
            notes.Add($"{(anyChecked ? "partly " : "")}not checked ({string.Join("; ", reasons)})");
        }

        return new SectionReport(heading, findings.OrderByDescending(f => f.Severity).ToList(), notes);
    }
}
