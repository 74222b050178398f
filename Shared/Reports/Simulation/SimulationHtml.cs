using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>Builds <c>simulation_report_*.html</c>: one page for a whole simulator run, with its settings, a table of
/// every scenario (the figures of the simulation JSON, formatted alike), the errors by kind, the comparison with a
/// baseline, and each scenario's chart.</summary>
public static class SimulationHtml
{
    /// <summary>Headings of the table with id <c>scenarios</c>.</summary>
    public static readonly IReadOnlyList<string> ScenarioHeaders =
    [
        "scenario", "target rps", "achieved rps", "requests", "ok", "errors", "late",
        "p50 ms", "p95 ms", "p99 ms", "max ms",
        "p50 ms raw", "p95 ms raw", "p99 ms raw", "max ms raw",
    ];

    /// <summary>Headings of the table with id <c>routes</c>: each route of a scenario that has several (or one
    /// reported beside its figures), as the JSON's <c>routes</c> writes them.</summary>
    public static readonly IReadOnlyList<string> RouteHeaders =
    [
        "scenario", "route", "in figures", "requests", "ok", "errors", "late",
        "p50 ms", "p95 ms", "p99 ms", "max ms", "p50 ms raw", "p99 ms raw", "status codes", "errors by kind",
    ];

    /// <summary>The page, ready to write.</summary>
    public static HtmlReport Build(SimulationHtmlContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        HtmlReport page = HtmlReport.ForRun("Simulation report", content.RunAt, content.Settings, content.Status);

        page.AddHeading("Scenarios");
        var ran = content.Scenarios.Where(s => s.Stats is not null).ToList();
        foreach (SimulationHtmlScenario s in ran.Where(s => s.Stats!.Generator is { Behind: true }))
        {
            // Before any figure: a run whose lag is the generator's must not read like a slow target.
            page.AddVerdict($"{s.Name}: WARNING: {s.Stats!.Generator!.Warning}", "bad");
        }

        if (ran.Count == 0)
        {
            page.AddParagraph("No scenario was measured.");
        }
        else
        {
            page.AddTable(ScenarioHeaders, ran.Select(s => ScenarioRow(s.Stats!)),
                "Latency by scenario, ms: corrected (from the due time) first, then raw (from the actual send)", "scenarios");
            page.AddParagraph("Corrected latency runs from the time a request was due to its last byte, so a request that "
                + "had to wait to be sent is charged the wait (coordinated omission); raw latency runs from the actual send. "
                + "Late: requests sent 1 ms or more after they were due. Percentiles are nearest-rank over the requests that got a response.");
        }

        foreach (SimulationHtmlScenario s in content.Scenarios.Where(s => s.Note is not null))
        {
            page.AddParagraph($"{s.Name}: {s.Note}");
        }

        AddRoutes(page, ran);
        AddErrors(page, ran);
        content.Comparison?.AddTo(page);

        page.AddHeading("Charts");
        foreach (SimulationHtmlScenario s in content.Scenarios)
        {
            page.AddHeading(s.Name, 3);
            if (s.ChartPng is { } png)
            {
                page.AddImage(png, $"Scenario {s.Name}: requests per second and latency per second");
            }
            else
            {
                page.AddParagraph(s.Stats is null ? "Not measured." : "The chart was not drawn.");
            }
        }

        return page;
    }

    /// <summary>One row of the scenarios table, the numbers formatted as the simulation JSON writes them.</summary>
    public static IReadOnlyList<string> ScenarioRow(SimulationStats s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        return
        [
            s.Scenario,
            s.TargetRps > 0 ? s.TargetRps.ToString("0.###", c) : "none (closed model)",
            CsvFiles.Fixed3(s.AchievedRps),
            s.Requests.ToString(c), s.Ok.ToString(c), s.Errors.ToString(c), s.Late.ToString(c),
            .. Latencies(s.Latency), .. Latencies(s.LatencyUncorrected),
        ];
    }

    /// <summary>One row of the routes table, the numbers formatted as the simulation JSON writes them.</summary>
    public static IReadOnlyList<string> RouteRow(string scenario, RouteStats r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        return
        [
            scenario, SafeText.Printable(r.Label), r.Headline ? "yes" : "beside",
            r.Requests.ToString(c), r.Ok.ToString(c), r.Errors.ToString(c), r.Late.ToString(c),
            .. Latencies(r.Latency),
            Milliseconds.FromMicros(r.LatencyUncorrected.P50Micros), Milliseconds.FromMicros(r.LatencyUncorrected.P99Micros),
            Counts(r.StatusCodes), Counts(r.ErrorsByKind),
        ];
    }

    private static string Counts<TKey>(IEnumerable<KeyValuePair<TKey, long>> counts) =>
        string.Join(", ", counts.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}×{kv.Value}")));

    private static void AddRoutes(HtmlReport page, IReadOnlyList<SimulationHtmlScenario> ran)
    {
        var rows = ran
            .Where(s => s.Stats!.HasRouteBreakdown)
            .SelectMany(s => s.Stats!.Routes.Select(r => RouteRow(s.Name, r)))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        page.AddHeading("Routes");
        page.AddTable(RouteHeaders, rows,
            "Each route of a scenario with several, ms: corrected (from the due time), then raw", "routes");
        page.AddParagraph("The scenarios table covers a scenario's routes marked yes in the figures; a route marked beside "
            + "(connection_pool's pool-holding GET /slow) is only here.");
    }

    private static IEnumerable<string> Latencies(LatencySummary l) =>
        [
            Milliseconds.FromMicros(l.P50Micros), l.P95Micros is { } p95 ? Milliseconds.FromMicros(p95) : "-",
            Milliseconds.FromMicros(l.P99Micros), Milliseconds.FromMicros(l.MaxMicros),
        ];

    private static void AddErrors(HtmlReport page, IReadOnlyList<SimulationHtmlScenario> ran)
    {
        page.AddHeading("Errors by kind");
        var rows = ran
            .SelectMany(s => s.Stats!.ErrorsByKind.Where(kv => kv.Value > 0)
                .Select(kv => (IReadOnlyList<string>)[s.Name, kv.Key, kv.Value.ToString(CultureInfo.InvariantCulture)]))
            .ToList();
        if (rows.Count == 0)
        {
            page.AddParagraph("No errors.");
            return;
        }

        page.AddTable(["scenario", "kind", "count"], rows, id: "errors");
    }
}

/// <summary>What <c>simulation_report_*.html</c> shows, every text already safe to show (secrets masked, control
/// characters escaped).</summary>
/// <param name="RunAt">When the run started (its clock time as given), for the title.</param>
/// <param name="Settings">The run's settings in the order shown, masked as the console masks them.</param>
/// <param name="Status">Lines about how the run went (interrupted, unreachable, every request failed); empty when it simply ran.</param>
/// <param name="Scenarios">Every scenario the run started, in order, skipped ones included.</param>
/// <param name="Comparison">The comparison with <c>--baseline</c>; null without one.</param>
public sealed record SimulationHtmlContent(
    DateTimeOffset RunAt,
    RunSettingsTable Settings,
    IReadOnlyList<string> Status,
    IReadOnlyList<SimulationHtmlScenario> Scenarios,
    RunComparison? Comparison = null);

/// <summary>One scenario of a simulator run as <c>simulation_report_*.html</c> shows it: what it measured and its
/// chart, or why it was skipped.</summary>
/// <param name="Stats">What it measured (base URL masked); null when it was skipped.</param>
/// <param name="ChartPng">The chart as written to its <c>simulation_*.png</c>; null when not drawn.</param>
/// <param name="Note">Why it was skipped, or that it was interrupted; null when it simply ran.</param>
public sealed record SimulationHtmlScenario(string Name, SimulationStats? Stats, byte[]? ChartPng, string? Note);
