using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>n_plus_one</c> from metrics: many DB queries per request on one route (≥ 10 warning, ≥ 50 critical by default).</summary>
/// <remarks>Needs a DB query counter with a route label whose values match the HTTP route label's; routes with too little
/// traffic (see <see cref="DetectorThresholds.NPlusOneMinRequestsInWindow"/>) are not judged.</remarks>
public sealed class NPlusOneRule : IMetricRule
{
    public string Id => "n_plus_one";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (QueriesPerRequest.Queries(ctx.Metrics, ctx.WindowText, ctx.Scope) is not var (dbQuery, requestQuery))
        {
            return [];
        }

        var db = await ctx.InstantAsync(dbQuery, ct).ConfigureAwait(false);
        var requests = await ctx.InstantAsync(requestQuery, ct).ConfigureAwait(false);
        string dbLabel = ctx.Metrics.DbQueries!.RouteLabel!, httpLabel = ctx.Metrics.Requests!.RouteLabel!;
        var rows = QueriesPerRequest.Join(db, dbLabel, requests, httpLabel);

        // A route's requests differ (a list of 3 items, a list of 20): over the whole window the mean can hide the heavy
        // ones. Its busiest stretch, a quarter of the window (30 s at least), is judged too.
        var stretch = TimeSpan.FromSeconds(Math.Max(QueriesPerRequest.MinStretch.TotalSeconds, Math.Round(ctx.Window.TotalSeconds / 4)));
        IReadOnlyDictionary<string, (double PerRequest, double AtUnixSeconds, double RequestsPerSecond)> peaks =
            new Dictionary<string, (double, double, double)>();
        string? stretchQuery = null;
        if (stretch < ctx.Window && QueriesPerRequest.Queries(ctx.Metrics, PrometheusDuration.Format(stretch), ctx.Scope) is var (dbStretch, requestStretch))
        {
            stretchQuery = $"{dbStretch} / {requestStretch}";
            peaks = QueriesPerRequest.Peaks(
                await ctx.RangeAsync(dbStretch, ct).ConfigureAwait(false), dbLabel,
                await ctx.RangeAsync(requestStretch, ct).ConfigureAwait(false), httpLabel,
                stretch, ctx.Thresholds.NPlusOneMinRequestsInWindow);
        }

        var findings = Evaluate(rows.Select(r => (r.Route, r.DbQueriesPerSecond, r.RequestsPerSecond)).ToList(), ctx.Window, $"{dbQuery} / {requestQuery}", ctx.Thresholds, ctx.Target);
        return findings.Concat(EvaluatePeaks(peaks, findings.Select(f => f.Target).ToHashSet(StringComparer.Ordinal), stretch,
            stretchQuery ?? "", ctx.Thresholds, ctx.Target)).ToList();
    }

    /// <summary>Routes whose mean over the window stayed under the limit but whose busiest stretch did not.</summary>
    /// <param name="peaks">Per route: the stretch with the most queries per request (see <see cref="QueriesPerRequest.Peaks"/>).</param>
    /// <param name="alreadyFound">Routes the whole window's mean already reported.</param>
    public static IReadOnlyList<Finding> EvaluatePeaks(
        IReadOnlyDictionary<string, (double PerRequest, double AtUnixSeconds, double RequestsPerSecond)> peaks, ISet<string> alreadyFound,
        TimeSpan stretch, string query, DetectorThresholds thresholds, TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var findings = new List<Finding>();
        foreach (var (route, (perRequest, at, rps)) in peaks.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (alreadyFound.Contains(route) || perRequest < thresholds.NPlusOneQueriesPerRequest)
            {
                continue;
            }

            var when = DateTimeOffset.FromUnixTimeMilliseconds((long)(at * 1000)).UtcDateTime.ToString("HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            findings.Add(new Finding(
                "n_plus_one",
                perRequest >= thresholds.NPlusOneCriticalQueriesPerRequest ? Severity.Critical : Severity.Warning,
                route,
                perRequest,
                "queries/request",
                thresholds.NPlusOneQueriesPerRequest,
                query,
                $"{route} ran {N(perRequest, "0.#")} DB queries per request in its busiest {PrometheusDuration.Format(stretch)} (ending {when}, " +
                $"{N(rps, "0.##")} requests/s), fewer on average over the window (its other requests ran fewer): likely one query per item of a " +
                "list (N+1) on the requests with long lists. Load the items' data in one query (a JOIN, GROUP BY, or WHERE id IN (...)) " +
                "instead of one per item; a trace of one such request shows the repeated statement.")
            {
                NextSteps = Steps(route, facts),
            });
        }

        return findings;
    }

    /// <param name="routes">Per route: DB queries/s and requests/s.</param>
    /// <param name="facts">Where the service and its traces are, for the next steps; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        IReadOnlyList<(string Route, double DbQueriesPerSecond, double RequestsPerSecond)> routes, TimeSpan window, string query, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var findings = new List<Finding>();
        foreach (var (route, qps, rps) in routes)
        {
            if (rps <= 0 || rps * window.TotalSeconds < thresholds.NPlusOneMinRequestsInWindow)
            {
                continue;
            }

            var perRequest = qps / rps;
            if (perRequest < thresholds.NPlusOneQueriesPerRequest)
            {
                continue;
            }

            findings.Add(new Finding(
                "n_plus_one",
                perRequest >= thresholds.NPlusOneCriticalQueriesPerRequest ? Severity.Critical : Severity.Warning,
                route,
                perRequest,
                "queries/request",
                thresholds.NPlusOneQueriesPerRequest,
                query,
                $"{route} runs {N(perRequest, "0.#")} DB queries per request ({N(qps, "0.#")} queries/s for {N(rps, "0.##")} requests/s): " +
                "likely one query per item of a list (N+1). Load the items' data in one query (a JOIN, GROUP BY, or WHERE id IN (...)) " +
                "instead of one per item; a trace of one request shows the repeated statement.")
            {
                NextSteps = Steps(route, facts),
            });
        }

        return findings;
    }

    private static IReadOnlyList<string> Steps(string route, TargetFacts facts)
    {
        var steps = new List<string> { $"find the repeated statement in a trace of {route} in Jaeger ({facts.JaegerUrl}/search) and batch it into one query" };
        if (AnalyzerCommand.For(route, facts) is { } command)
        {
            steps.Add($"measure {route} directly: {command}"); // as slow_endpoint words it, so one slow N+1 route gets one such step
        }

        return steps;
    }
}
