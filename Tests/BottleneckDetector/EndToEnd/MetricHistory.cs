using System.Globalization;
using System.Text;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary>Builds deterministic Prometheus history as OpenMetrics text for <c>promtool tsdb create-blocks-from
/// openmetrics</c>: HTTP latency histograms in a chosen naming convention, request counters by status, a DB query
/// counter by route, and a memory gauge, sampled every 15 s.</summary>
/// <remarks>Every series is a pure function of time, so a test knows the true values: a route's requests all fall in
/// one latency bucket, which bounds what <c>histogram_quantile</c> can answer.</remarks>
internal sealed class MetricHistory
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly List<Route> _routes = [];

    public MetricHistory(DateTimeOffset start, TimeSpan length)
    {
        Start = start;
        Length = length;
    }

    public DateTimeOffset Start { get; }

    public TimeSpan Length { get; }

    /// <summary>Memory at the start, and its growth per second (0: flat).</summary>
    public (double StartBytes, double BytesPerSecond) Memory { get; init; } = (80e6, 0);

    /// <summary>Adds a route served at <paramref name="rps"/> whose requests all take <paramref name="seconds"/>;
    /// <paramref name="errorShare"/> of them answer 500; each runs <paramref name="dbQueriesPerRequest"/> SQL queries.</summary>
    public MetricHistory WithRoute(string route, double rps, double seconds, double errorShare = 0, double dbQueriesPerRequest = 1)
    {
        _routes.Add(new Route(route, rps, seconds, errorShare, dbQueriesPerRequest));
        return this;
    }

    /// <summary>prometheus-net names: <c>http_request_duration_seconds{endpoint,code,method}</c>.</summary>
    public string ToPrometheusNet() => Build("http_request_duration_seconds", "endpoint", "code");

    /// <summary>OpenTelemetry names: <c>http_server_request_duration_seconds{http_route,http_response_status_code,http_request_method}</c>.</summary>
    public string ToOpenTelemetry() => Build("http_server_request_duration_seconds", "http_route", "http_response_status_code");

    private string Build(string histogram, string routeLabel, string statusLabel)
    {
        var methodLabel = routeLabel == "http_route" ? "http_request_method" : "method";
        var text = new StringBuilder();
        var times = Times().ToList();

        text.Append(CultureInfo.InvariantCulture, $"# TYPE {histogram} histogram\n");
        foreach (var route in _routes)
        {
            foreach (var (status, share) in new[] { ("200", 1 - route.ErrorShare), ("500", route.ErrorShare) })
            {
                if (share <= 0)
                {
                    continue;
                }

                var labels = $"{routeLabel}=\"{route.Name}\",{methodLabel}=\"GET\",{statusLabel}=\"{status}\"";
                foreach (var t in times)
                {
                    var count = Math.Floor(route.Rps * share * Seconds(t));
                    foreach (var le in Buckets)
                    {
                        var inBucket = route.Seconds <= le ? count : 0;
                        text.Append(CultureInfo.InvariantCulture, $"{histogram}_bucket{{{labels},le=\"{le}\"}} {inBucket} {Unix(t)}\n");
                    }

                    text.Append(CultureInfo.InvariantCulture, $"{histogram}_bucket{{{labels},le=\"+Inf\"}} {count} {Unix(t)}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{histogram}_count{{{labels}}} {count} {Unix(t)}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{histogram}_sum{{{labels}}} {count * route.Seconds} {Unix(t)}\n");
                }
            }
        }

        text.Append("# TYPE forum_db_queries counter\n");
        foreach (var route in _routes)
        {
            foreach (var t in times)
            {
                var queries = Math.Floor(route.Rps * route.DbQueriesPerRequest * Seconds(t));
                text.Append(CultureInfo.InvariantCulture,
                    $"forum_db_queries_total{{operation=\"SELECT\",route=\"{route.Name}\"}} {queries} {Unix(t)}\n");
            }
        }

        text.Append("# TYPE process_working_set_bytes gauge\n");
        foreach (var t in times)
        {
            var bytes = Memory.StartBytes + (Memory.BytesPerSecond * Seconds(t));
            text.Append(CultureInfo.InvariantCulture, $"process_working_set_bytes {Math.Round(bytes)} {Unix(t)}\n");
        }

        text.Append("# TYPE process_start_time_seconds gauge\n");
        foreach (var t in times)
        {
            // Started an hour before the history begins: past any warm-up.
            text.Append(CultureInfo.InvariantCulture, $"process_start_time_seconds {Unix(Start) - 3600} {Unix(t)}\n");
        }

        text.Append("# EOF\n");
        return text.ToString();
    }

    private IEnumerable<DateTimeOffset> Times()
    {
        for (var t = Start; t <= Start + Length; t += Step)
        {
            yield return t;
        }
    }

    private double Seconds(DateTimeOffset t) => (t - Start).TotalSeconds;

    private static long Unix(DateTimeOffset t) => t.ToUnixTimeSeconds();

    private sealed record Route(string Name, double Rps, double Seconds, double ErrorShare, double DbQueriesPerRequest);
}
