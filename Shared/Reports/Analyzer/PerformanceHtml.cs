using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>Builds <c>performance_report_*.html</c>: the analyzer's settings, its summary table with the very figures
/// of the summary CSV, the errors by kind, the comparison with a baseline, the chart, and the trace explanations, on
/// one self-contained page.</summary>
public static class PerformanceHtml
{
    /// <summary>Headings of the table with id <c>summary</c>; the figures are the summary CSV's, formatted alike.</summary>
    public static readonly IReadOnlyList<string> SummaryHeaders =
        ["endpoint", "count", "errors", "min ms", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"];

    /// <summary>The page, ready to write.</summary>
    public static HtmlReport Build(PerformanceHtmlContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        HtmlReport page = HtmlReport.ForRun("Performance report", content.RunAt, content.Settings, content.Status);

        page.AddHeading("Summary");
        if (content.Stats.Count == 0)
        {
            page.AddParagraph("No requests were measured.");
        }
        else
        {
            page.AddTable(SummaryHeaders, content.Stats.Select(SummaryRow), "Latency by endpoint, ms (requests with a response)", "summary");
            page.AddParagraph("Percentiles are nearest-rank over the requests that got a response; errors count every failed request, "
                + "HTTP 4xx and 5xx included.");
        }

        AddWarmups(page, content.Stats, content.Warmups);
        AddErrors(page, content.Stats, content.Results);
        content.Comparison?.AddTo(page);

        page.AddHeading("Chart");
        if (content.ChartPng is { } png)
        {
            page.AddImage(png, "Mean latency by endpoint, the distribution by endpoint (box plots), and latency by percentile");
        }
        else
        {
            page.AddParagraph(content.ChartMissing ?? "The chart was not drawn.");
        }

        page.AddHeading("Slowest requests, explained from their traces");
        if (content.TraceLines.Count > 0)
        {
            page.AddPreformatted(string.Join('\n', content.TraceLines));
        }
        else
        {
            page.AddParagraph(content.TracesMissing ?? "No trace explanations.");
        }

        return page;
    }

    /// <summary>One row of the summary table, formatted as the summary CSV formats it.</summary>
    public static IReadOnlyList<string> SummaryRow(EndpointStats s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return
        [
            s.Label, Count(s.Count), Count(s.Errors), Milliseconds.FromMicros(s.MinMicros), SummaryCsv.MsText(s.MeanMicros),
            Milliseconds.FromMicros(s.P50Micros), Milliseconds.FromMicros(s.P95Micros), Milliseconds.FromMicros(s.P99Micros),
            Milliseconds.FromMicros(s.MaxMicros),
        ];
    }

    /// <summary>Each endpoint's warm-up requests and whether its latency settled, as the console's warmup column.</summary>
    private static void AddWarmups(HtmlReport page, IReadOnlyList<EndpointStats> stats, IReadOnlyDictionary<string, WarmupOutcome>? warmups)
    {
        if (warmups is null || stats.Count == 0)
        {
            return;
        }

        page.AddHeading("Warm-up");
        var rows = stats.Select(s => (IReadOnlyList<string>)(warmups.GetValueOrDefault(s.Label) switch
        {
            null => [s.Label, "-", "not warmed up"],
            { Settled: true } w => [s.Label, Count(w.Requests), "yes"],
            { Settled: false } w => [s.Label, Count(w.Requests), "no: stopped at its bound, latency still drifting"],
            { } w => [s.Label, Count(w.Requests), "not judged (a fixed count, or a method that changes state)"],
        }));
        page.AddTable(["endpoint", "requests", "settled"], rows, "Warm-up requests by endpoint, sent first and not measured", "warmup");
    }

    /// <summary>As the console's "Errors by kind": per endpoint and kind, the count and the first message.</summary>
    private static void AddErrors(HtmlReport page, IReadOnlyList<EndpointStats> stats, IReadOnlyList<RequestResult> results)
    {
        page.AddHeading("Errors by kind");
        var rows = new List<IReadOnlyList<string>>();
        foreach (EndpointStats s in stats.Where(s => s.Errors > 0))
        {
            foreach (var (kind, count) in s.ErrorsByKind
                .Where(kv => kv.Value > 0)
                .OrderBy(kv => Enum.TryParse<ErrorKind>(kv.Key, out var k) ? (int)k : int.MaxValue)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                string first = results.FirstOrDefault(r => r.Label == s.Label && r.Error.ToString() == kind)?.ErrorMessage ?? "";
                rows.Add([s.Label, kind, Count(count), first]);
            }
        }

        if (rows.Count == 0)
        {
            page.AddParagraph("No errors.");
            return;
        }

        page.AddTable(["endpoint", "kind", "count", "first message"], rows, id: "errors");
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <c>performance_report_*.html</c> shows, every text already safe to show (secrets masked, control
/// characters escaped), as the console showed it.</summary>
/// <param name="RunAt">When the run started (its clock time as given), for the title.</param>
/// <param name="Settings">The run's settings in the order shown, masked as the console masks them.</param>
/// <param name="Status">Lines about how the run went (interrupted, unreachable); empty when it simply ran.</param>
/// <param name="Stats">One per endpoint, the same the summary CSV is written from.</param>
/// <param name="Results">Every measured request, for the first message of each error kind.</param>
/// <param name="ChartPng">The chart as written to <c>performance_report_*.png</c>; null when it was not drawn.</param>
/// <param name="ChartMissing">Why there is no chart, when <paramref name="ChartPng"/> is null.</param>
/// <param name="TraceLines">The trace explanations as printed (or the line saying Jaeger was unreachable).</param>
/// <param name="TracesMissing">Why there are no trace explanations, when <paramref name="TraceLines"/> is empty.</param>
/// <param name="Comparison">The comparison with <c>--baseline</c>; null without one.</param>
/// <param name="Warmups">Each endpoint's warm-up, by label; null leaves the warm-up table out.</param>
public sealed record PerformanceHtmlContent(
    DateTimeOffset RunAt,
    RunSettingsTable Settings,
    IReadOnlyList<string> Status,
    IReadOnlyList<EndpointStats> Stats,
    IReadOnlyList<RequestResult> Results,
    byte[]? ChartPng,
    string? ChartMissing,
    IReadOnlyList<string> TraceLines,
    string? TracesMissing,
    RunComparison? Comparison = null,
    IReadOnlyDictionary<string, WarmupOutcome>? Warmups = null);
