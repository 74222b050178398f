using System.Globalization;
using Newtonsoft.Json.Linq;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Metrics;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary>The history the detector's end-to-end tests query is what it claims to be, in a real Prometheus.</summary>
[TestFixture]
[Category("Slow")]
public class MetricHistoryTests
{
    [Test]
    public async Task ToPrometheusNet_QueriedAtAPastInstant_GivesTheBucketBoundedP95()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());
        var history = new MetricHistory(start, TimeSpan.FromMinutes(30))
            .WithRoute("/slow", rps: 2, seconds: 0.8)
            .WithRoute("/boards", rps: 20, seconds: 0.007);
        await using var prometheus = await PrometheusProcess.StartAsync(openMetricsHistory: history.ToPrometheusNet());
        using var http = new HttpClient();
        var at = start.AddMinutes(20).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = Uri.EscapeDataString("histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))");

        var json = JObject.Parse(await http.GetStringAsync(new Uri(prometheus.BaseUrl, $"api/v1/query?query={query}&time={at}")));

        var p95 = ((JArray)json["data"]!["result"]!).ToDictionary(
            r => (string)r["metric"]!["endpoint"]!,
            r => double.Parse((string)r["value"]![1]!, CultureInfo.InvariantCulture));
        Assert.That(p95["/slow"], Is.InRange(0.75, 1.0), "0.8 s requests sit in the (0.75, 1] bucket");
        Assert.That(p95["/boards"], Is.InRange(0.005, 0.01));
    }

    /// <summary>The connection_pool rule's timeouts query in a real Prometheus, on what ./demo showed: the process
    /// restarted with the same labels before the window, its old counter's last sample inside the window, the new
    /// process not exporting the counter (no timeout yet). The old 2 must not count; a series born inside does.</summary>
    [Test]
    public async Task PoolTimeoutsQuery_RestartedProcessOldSampleInWindow_NotCounted()
    {
        long start = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        const string name = "npgsql_db_client_connection_npgsql_timeouts";
        var text = new System.Text.StringBuilder($"# TYPE {name} gauge\n");
        // The old process: 2 timeouts, scraped every 5 s until start+600. A new pool, born at start+650, counts 3.
        for (long t = start; t <= start + 600; t += 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{db_client_connection_pool_name=\"forum\",instance=\"a:8080\"}} 2 {t}\n");
        }

        for (long t = start + 650; t <= start + 690; t += 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{db_client_connection_pool_name=\"other\",instance=\"b:8080\"}} 3 {t}\n");
        }

        text.Append("# EOF\n");
        await using var prometheus = await PrometheusProcess.StartAsync(openMetricsHistory: text.ToString());
        var pool = new PoolMetrics(
            PoolConvention.OpenTelemetry, PoolLibrary.Npgsql, "npgsql_db_client_connection_*", "db_client_connection_pool_name",
            null, null, null, null, null, name, null);
        string query = PoolQueries.For(pool, (metric, _) => metric, "100s", TimeSpan.FromSeconds(5)).Timeouts!;
        using var http = new HttpClient();
        // The window (start+600, start+700] holds the old series' last sample only.
        string at = (start + 700).ToString(CultureInfo.InvariantCulture);

        var json = JObject.Parse(await http.GetStringAsync(new Uri(prometheus.BaseUrl, $"api/v1/query?query={Uri.EscapeDataString(query)}&time={at}")));

        var counted = ((JArray)json["data"]!["result"]!).ToDictionary(
            r => (string)r["metric"]!["db_client_connection_pool_name"]!,
            r => double.Parse((string)r["value"]![1]!, CultureInfo.InvariantCulture));
        Assert.That(counted, Is.EqualTo(new Dictionary<string, double> { ["other"] = 3 }), query);
    }
}
