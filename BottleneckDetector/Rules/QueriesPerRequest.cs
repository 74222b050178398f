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

    private static string Normalize(string route) => route.TrimStart('/');
}
