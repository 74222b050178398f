using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>DB queries per HTTP request by route: the DB counter's route label joined with the request counter's by value.</summary>
/// <remarks>The join is done here, not in PromQL, because the two label names usually differ (<c>route</c> vs <c>endpoint</c>)
/// and some exporters drop the leading slash (<c>api/orders</c> vs <c>/api/orders</c>).</remarks>
internal static class QueriesPerRequest
{
    public sealed record Row(string Route, double DbQueriesPerSecond, double RequestsPerSecond)
    {
        public double PerRequest => DbQueriesPerSecond / RequestsPerSecond;
    }

    /// <summary>The shortest stretch of a window judged on its own: rates need a few scrapes (30 s is two at the common 15 s).</summary>
    public static readonly TimeSpan MinStretch = TimeSpan.FromSeconds(30);

    public static (string DbQuery, string RequestQuery)? Queries(DiscoveredMetrics metrics, string window, string? scope)
    {
        if (metrics is not { DbQueries.RouteLabel: { } dbRoute, Requests.RouteLabel: { } httpRoute })
        {
            return null;
        }

        return ($"sum by ({dbRoute}) (rate({RuleText.Select(metrics.DbQueries.Name, scope)}[{window}]))",
            $"sum by ({httpRoute}) (rate({RuleText.Select(metrics.Requests.Name, scope)}[{window}]))");
    }

    public static IReadOnlyList<Row> Join(PrometheusQueryResult db, string dbRouteLabel, PrometheusQueryResult requests, string httpRouteLabel)
    {
        var requestRate = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in requests.Series)
        {
            requestRate[Normalize(series.Label(httpRouteLabel))] = series.Value;
        }

        var rows = new List<Row>();
        foreach (var series in db.Series)
        {
            var route = series.Label(dbRouteLabel);
            if (route.Length > 0 && requestRate.TryGetValue(Normalize(route), out var rps) && rps > 0 && RuleText.IsNumber(series.Value))
            {
                rows.Add(new Row(route, series.Value, rps));
            }
        }

        return rows;
    }

    /// <summary>Per route, the stretch of the window with the most queries per request: the rates over
    /// <paramref name="stretch"/> at each point of a range query, joined point by point; only stretches with at least
    /// <paramref name="minRequests"/> requests count. Null for a route no stretch qualified for.</summary>
    public static IReadOnlyDictionary<string, (double PerRequest, double AtUnixSeconds, double RequestsPerSecond)> Peaks(
        PrometheusQueryResult db, string dbRouteLabel, PrometheusQueryResult requests, string httpRouteLabel, TimeSpan stretch, double minRequests)
    {
        var requestRates = new Dictionary<string, Dictionary<double, double>>(StringComparer.Ordinal);
        foreach (var series in requests.Series)
        {
            var byTime = requestRates.TryGetValue(Normalize(series.Label(httpRouteLabel)), out var existing) ? existing : new Dictionary<double, double>();
            foreach (var sample in series.Samples)
            {
                byTime[sample.TimeUnixSeconds] = byTime.GetValueOrDefault(sample.TimeUnixSeconds) + (RuleText.IsNumber(sample.Value) ? sample.Value : 0);
            }

            requestRates[Normalize(series.Label(httpRouteLabel))] = byTime;
        }

        var peaks = new Dictionary<string, (double, double, double)>(StringComparer.Ordinal);
        foreach (var series in db.Series)
        {
            var route = series.Label(dbRouteLabel);
            if (route.Length == 0 || !requestRates.TryGetValue(Normalize(route), out var byTime))
            {
                continue;
            }

            foreach (var sample in series.Samples)
            {
                if (!byTime.TryGetValue(sample.TimeUnixSeconds, out var rps) || rps * stretch.TotalSeconds < minRequests || !RuleText.IsNumber(sample.Value))
                {
                    continue;
                }

                var perRequest = sample.Value / rps;
                if (!peaks.TryGetValue(route, out var best) || perRequest > best.Item1)
                {
                    peaks[route] = (perRequest, sample.TimeUnixSeconds, rps);
                }
            }
        }

        return peaks;
    }

    private static string Normalize(string route) => route.TrimStart('/');
}
