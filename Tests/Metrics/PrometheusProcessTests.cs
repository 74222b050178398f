using System.Globalization;
using Newtonsoft.Json.Linq;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.Metrics;

/// <summary>The real-Prometheus harness the detector's end-to-end tests stand on: history from promtool, and live scraping.</summary>
[TestFixture]
[Category("Slow")]
public class PrometheusProcessTests
{
    [Test]
    public async Task StartAsync_WithOpenMetricsHistory_ServesItAtAPastInstant()
    {
        var t0 = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds();
        var history = new System.Text.StringBuilder("# TYPE demo_requests counter\n");
        for (var i = 0; i <= 60; i++)
        {
            history.Append(CultureInfo.InvariantCulture, $"demo_requests_total{{route=\"/a\"}} {i * 10} {t0 + i * 15}\n");
        }

        history.Append("# EOF\n");
        await using var prometheus = await PrometheusProcess.StartAsync(openMetricsHistory: history.ToString());
        using var http = new HttpClient();
        var at = (t0 + 600).ToString(CultureInfo.InvariantCulture);
        var json = JObject.Parse(await http.GetStringAsync(
            new Uri(prometheus.BaseUrl, $"api/v1/query?query=rate(demo_requests_total[5m])&time={at}")));

        Assert.That((string?)json["status"], Is.EqualTo("success"), json.ToString());
        var value = double.Parse((string)json["data"]!["result"]![0]!["value"]![1]!, CultureInfo.InvariantCulture);
        Assert.That(value, Is.EqualTo(10.0 / 15).Within(0.01));
    }

    [Test]
    public async Task StartAsync_WithScrapeTarget_ScrapesTheForumApi()
    {
        await using var api = await ForumApiProcess.StartAsync();
        await using var prometheus = await PrometheusProcess.StartAsync([api.BaseUrl.Authority]);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JToken? result = null;
        while (DateTime.UtcNow < deadline)
        {
            var json = JObject.Parse(await http.GetStringAsync(new Uri(prometheus.BaseUrl, "api/v1/query?query=up")));
            result = json["data"]?["result"];
            if (result is JArray { Count: > 0 } && (string?)result[0]!["value"]![1] == "1")
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.That((string?)result?[0]?["value"]?[1], Is.EqualTo("1"), prometheus.ToString());
    }
}
