using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>error_rate</c>: share of 5xx responses by route, judged only where the route had enough traffic.</summary>
/// <remarks>Enough traffic: at least <see cref="DetectorThresholds.MinRequestsPerSecond"/> or
/// <see cref="DetectorThresholds.MinRequestsInWindow"/> requests in the window; one failure out of three requests is not a rate.</remarks>
public sealed class ErrorRateRule : IMetricRule
{
    public string Id => "error_rate";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (ctx.Metrics.Requests is not { StatusLabel: { } status } requests)
        {
            return [];
        }

        var by = By(requests.RouteLabel);
        var errorsQuery = $"sum{by} (rate({ctx.Select(requests.Name, $"{status}=~\"5..\"")}[{ctx.WindowText}]))";
        var totalQuery = $"sum{by} (rate({ctx.Select(requests.Name)}[{ctx.WindowText}]))";
        var errors = await ctx.InstantAsync(errorsQuery, ct).ConfigureAwait(false);
        var total = await ctx.InstantAsync(totalQuery, ct).ConfigureAwait(false);
        return Evaluate(errors, total, requests.RouteLabel, ctx.Window, $"{errorsQuery} / {totalQuery}", ctx.Thresholds, ctx.Target);
    }

    /// <param name="errors">5xx requests/s by route.</param>
    /// <param name="total">All requests/s by route.</param>
    /// <param name="facts">Where the service listens, for the command that shows the failures; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PrometheusQueryResult errors, PrometheusQueryResult total, string? routeLabel, TimeSpan window, string query, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var errorRate = errors.Series.ToDictionary(s => Route(s, routeLabel), s => s.Value);
        var findings = new List<Finding>();
        foreach (var series in total.Series)
        {
            var route = Route(series, routeLabel);
            var rps = series.Value;
            if (!IsNumber(rps) || !errorRate.TryGetValue(route, out var eps) || !IsNumber(eps))
            {
                continue;
            }

            if (rps < thresholds.MinRequestsPerSecond && rps * window.TotalSeconds < thresholds.MinRequestsInWindow)
            {
                continue; // too little traffic to call it a rate
            }

            var ratio = eps / rps;
            if (ratio <= thresholds.ErrorRatio)
            {
                continue;
            }

            findings.Add(new Finding(
                "error_rate",
                ratio > thresholds.ErrorCriticalRatio ? Severity.Critical : Severity.Warning,
                route,
                ratio,
                "ratio",
                thresholds.ErrorRatio,
                query,
                $"{N(ratio * 100, "0.#")} % of requests to {route} failed with 5xx ({N(eps, "0.###")} of {N(rps, "0.###")} requests/s over {PrometheusDuration.Format(window)}). " +
                "Read the service's error log or the traces with error=true for this route; fix the most frequent exception first.")
            {
                NextSteps = AnalyzerCommand.For(route, facts) is { } command
                    ? [$"see which requests fail and how: {command} (errors by kind are listed)"]
                    : [$"find the failing requests in Jaeger ({facts.JaegerUrl}/search, tag error=true)"],
            });
        }

        return findings;
    }
}
