using System.Globalization;
using Newtonsoft.Json.Linq;
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
}
