using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Tracing;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>slow_endpoint</c>: p95 latency by route above the threshold; without buckets, the mean (and <c>_max</c>) instead.</summary>
public sealed class SlowEndpointRule : IMetricRule
{
    public string Id => "slow_endpoint";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (ctx.Metrics.Latency is not { } latency)
        {
            return [];
        }

        var w = ctx.WindowText;
        var by = By(latency.RouteLabel);
        if (latency.Kind == LatencyKind.Histogram)
        {
            var query = P95Query(latency, w, ctx.Scope);
            var p95 = await ctx.InstantAsync(query, ct).ConfigureAwait(false);
            // The edges as label values: one per edge, where an instant `count by (le)` read every bucket series.
            var edges = await ctx.LabelValuesAsync("le", ctx.Select(latency.Bucket), ct).ConfigureAwait(false);
            // An le that is not a number (a broken answer) bounds nothing: it is left out, not fatal.
            var bucketEdges = edges
                .Select(le => PrometheusSample.TryParseValue(le, out var edge) ? edge : double.NaN)
                .Where(double.IsFinite).Distinct().Order().ToList();
            return EvaluateHistogram(p95, bucketEdges, latency, query, ctx.Thresholds, ctx.Target);
        }

        var meanQuery = $"sum{by} (rate({ctx.Select(latency.Sum)}[{w}])) / sum{by} (rate({ctx.Select(latency.Count)}[{w}]))";
        var mean = await ctx.InstantAsync(meanQuery, ct).ConfigureAwait(false);
        string? maxQuery = latency.HasMax ? $"max{by} (max_over_time({ctx.Select(latency.Max)}[{w}]))" : null;
        var max = maxQuery == null ? PrometheusQueryResult.EmptyVector : await ctx.InstantAsync(maxQuery, ct).ConfigureAwait(false);
        return EvaluateMean(mean, max, latency, meanQuery, maxQuery, ctx.Thresholds, ctx.Target);
    }

    public static string P95Query(LatencyMetric latency, string window, string? scope = null) =>
        $"histogram_quantile(0.95, sum by (le{(latency.RouteLabel == null ? "" : ", " + latency.RouteLabel)}) (rate({Select(latency.Bucket, scope)}[{window}])))";

    /// <summary>Judges p95 per route; <paramref name="bucketEdges"/> are the finite <c>le</c> values (in the metric's unit), to say which bucket bounds the estimate.</summary>
    /// <param name="facts">Where the service listens, for the command that measures the route; null when unknown.</param>
    public static IReadOnlyList<Finding> EvaluateHistogram(
        PrometheusQueryResult p95, IReadOnlyList<double> bucketEdges, LatencyMetric latency, string query, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        var findings = new List<Finding>();
        var msPerUnit = latency.SecondsPerUnit * 1000;
        foreach (var series in p95.Series)
        {
            var ms = series.Value * msPerUnit;
            if (double.IsNaN(ms) || ms < thresholds.SlowEndpointMs)
            {
                continue; // NaN: no requests in the window
            }

            var route = Route(series, latency.RouteLabel);
            var lower = bucketEdges.Where(e => e * msPerUnit < ms).DefaultIfEmpty(0).Max() * msPerUnit;
            var upperEdges = bucketEdges.Where(e => e * msPerUnit >= ms).ToList();
            var bounds = upperEdges.Count == 0
                ? $"above the last finite bucket edge ({N(lower)} ms), so histogram_quantile can only return that edge or +Inf: the true p95 may be far higher"
                : $"interpolated inside the bucket {N(lower)}–{N(upperEdges.Min() * msPerUnit)} ms: the true p95 can be anywhere in that bucket";
            var value = double.IsPositiveInfinity(ms) ? lower : ms;
            findings.Add(new Finding(
                "slow_endpoint",
                ms >= thresholds.SlowEndpointMs * thresholds.SlowEndpointCriticalFactor ? Severity.Critical : Severity.Warning,
                route,
                value,
                "ms",
                thresholds.SlowEndpointMs,
                query,
                $"p95 of {route} is about {N(value, "0")} ms (threshold {N(thresholds.SlowEndpointMs)} ms); the estimate is bucket-bounded, {bounds}. " +
                $"Trace a slow request on {route} (its spans show where the time goes: DB, downstream calls, locks) and fix the largest part; " +
                "add bucket edges around the threshold if a sharper figure is needed.")
            {
                NextSteps = Steps(route, facts ?? TargetFacts.Unknown),
            });
        }

        return findings;
    }

    /// <summary>Judges the mean per route where no buckets exist; <paramref name="max"/> (Micrometer's <c>_max</c>) may be empty.</summary>
    /// <param name="facts">Where the service listens, for the command that measures the route; null when unknown.</param>
    public static IReadOnlyList<Finding> EvaluateMean(
        PrometheusQueryResult mean, PrometheusQueryResult max, LatencyMetric latency, string meanQuery, string? maxQuery, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        var msPerUnit = latency.SecondsPerUnit * 1000;
        var maxByRoute = max.Series.ToDictionary(s => Route(s, latency.RouteLabel), s => s.Value * msPerUnit);
        var findings = new List<Finding>();
        foreach (var series in mean.Series)
        {
            var meanMs = series.Value * msPerUnit;
            if (!IsNumber(meanMs))
            {
                continue;
            }

            var route = Route(series, latency.RouteLabel);
            var maxMs = maxByRoute.TryGetValue(route, out var m) && IsNumber(m) ? m : (double?)null;
            var maxText = maxMs is { } mx ? string.Create(CultureInfo.InvariantCulture, $", max {N(mx, "0")} ms") : "";
            var evidence = maxQuery == null ? meanQuery : meanQuery + " ; " + maxQuery;
            if (meanMs >= thresholds.SlowEndpointMs)
            {
                findings.Add(new Finding(
                    "slow_endpoint",
                    meanMs >= thresholds.SlowEndpointMs * thresholds.SlowEndpointCriticalFactor ? Severity.Critical : Severity.Warning,
                    route,
                    meanMs,
                    "ms",
                    thresholds.SlowEndpointMs,
                    evidence,
                    $"mean latency of {route} is {N(meanMs, "0")} ms{maxText} (threshold {N(thresholds.SlowEndpointMs)} ms); {latency.Name} has no buckets, so this is the mean " +
                    "(_sum/_count), not a percentile: the tail is worse. Trace a slow request on this route and fix its largest part; export a histogram for percentiles.")
                {
                    NextSteps = Steps(route, facts ?? TargetFacts.Unknown),
                });
            }
            else if (maxMs >= thresholds.SlowEndpointMs)
            {
                findings.Add(new Finding(
                    "slow_endpoint",
                    Severity.Info,
                    route,
                    maxMs.Value,
                    "ms",
                    thresholds.SlowEndpointMs,
                    evidence,
                    $"the mean of {route} is fine ({N(meanMs, "0")} ms) but its slowest request took {N(maxMs.Value, "0")} ms; {latency.Name} has no buckets, " +
                    "so how often this happens is unknown: export a histogram, or look at traces of slow requests.")
                {
                    NextSteps = Steps(route, facts ?? TargetFacts.Unknown),
                });
            }
        }

        return findings;
    }

    /// <summary>Measure the route directly; a route the metrics do not name is found from the traces instead.</summary>
    private static IReadOnlyList<string> Steps(string route, TargetFacts facts) =>
        AnalyzerCommand.For(route, facts) is { } command
            ? [$"measure {route} directly: {command}"]
            : [$"find the slow route among the slowest traces of the window in Jaeger ({facts.JaegerUrl}/search)"];
}
