using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>high_db_usage</c>: the service's DB query rate above the threshold (warning), and routes with several queries per request below n_plus_one's level (info).</summary>
public sealed class HighDbUsageRule : IMetricRule
{
    public string Id => "high_db_usage";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (ctx.Metrics.DbQueries is not { } dbQueries)
        {
            return [];
        }

        var totalQuery = $"sum(rate({ctx.Select(dbQueries.Name)}[{ctx.WindowText}]))";
        var total = await ctx.InstantAsync(totalQuery, ct).ConfigureAwait(false);
        var rows = new List<(string, double, double)>();
        var perRouteQuery = "";
        if (QueriesPerRequest.Queries(ctx.Metrics, ctx.WindowText, ctx.Scope) is var (dbQuery, requestQuery))
        {
            var db = await ctx.InstantAsync(dbQuery, ct).ConfigureAwait(false);
            var requests = await ctx.InstantAsync(requestQuery, ct).ConfigureAwait(false);
            rows.AddRange(QueriesPerRequest.Join(db, dbQueries.RouteLabel!, requests, ctx.Metrics.Requests!.RouteLabel!)
                .Select(r => (r.Route, r.DbQueriesPerSecond, r.RequestsPerSecond)));
            perRouteQuery = $"{dbQuery} / {requestQuery}";
        }

        return Evaluate(total.Series.Count == 0 ? double.NaN : total.Series[0].Value, totalQuery, rows, perRouteQuery, ctx.Window, ctx.Thresholds, ctx.Target);
    }

    /// <param name="totalQueriesPerSecond">DB queries/s of the whole service (NaN when unknown).</param>
    /// <param name="routes">Per route: DB queries/s and requests/s; empty when the labels do not allow the join.</param>
    /// <param name="facts">Where the service's traces are, for the next steps; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        double totalQueriesPerSecond,
        string totalQuery,
        IReadOnlyList<(string Route, double DbQueriesPerSecond, double RequestsPerSecond)> routes,
        string perRouteQuery,
        TimeSpan window,
        DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var findings = new List<Finding>();
        if (IsNumber(totalQueriesPerSecond) && totalQueriesPerSecond > thresholds.DbQueriesPerSecond)
        {
            var busiest = routes.OrderByDescending(r => r.DbQueriesPerSecond).Take(3).Select(r => $"{r.Route} {N(r.DbQueriesPerSecond, "0.#")}/s").ToList();
            findings.Add(new Finding(
                "high_db_usage",
                Severity.Warning,
                "service",
                totalQueriesPerSecond,
                "queries/s",
                thresholds.DbQueriesPerSecond,
                totalQuery,
                $"the service runs {N(totalQueriesPerSecond, "0.#")} DB queries/s over {PrometheusDuration.Format(window)}" +
                (busiest.Count > 0 ? $" (most from {string.Join(", ", busiest)})" : "") +
                ". Cache what is read repeatedly, batch lookups, and check the busiest routes for per-item queries.")
            {
                NextSteps = [$"open traces of the busiest routes in Jaeger ({facts.JaegerUrl}/search) and look for statements run once per item or read again and again"],
            });
        }

        foreach (var (route, qps, rps) in routes)
        {
            var perRequest = qps / rps;
            var enoughTraffic = rps >= thresholds.MinRequestsPerSecond || rps * window.TotalSeconds >= thresholds.MinRequestsInWindow;
            if (enoughTraffic && perRequest >= thresholds.DbQueriesPerRequest && perRequest < thresholds.NPlusOneQueriesPerRequest)
            {
                findings.Add(new Finding(
                    "high_db_usage",
                    Severity.Info,
                    route,
                    perRequest,
                    "queries/request",
                    thresholds.DbQueriesPerRequest,
                    perRouteQuery,
                    $"{route} runs {N(perRequest, "0.#")} DB queries per request; check whether some can be combined or cached.")
                {
                    NextSteps = [$"open a trace of {route} in Jaeger ({facts.JaegerUrl}/search) to see which statements it runs, and combine or cache them"],
                });
            }
        }

        return findings;
    }
}
