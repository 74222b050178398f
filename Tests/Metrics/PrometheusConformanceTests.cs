using System.Net;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Metrics;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.Metrics;

/// <summary>Discovery and the client against real expositions and real Prometheus 2.42 responses in ../shared/fixtures/prometheus.</summary>
public class PrometheusConformanceTests
{
    private static string Fixtures()
    {
        return Fakes.RepositoryRoot.RequireSharedFixtures("prometheus", "conformance tests");
    }

    private static DiscoveredMetrics DiscoverExposition(string file) =>
        MetricDiscovery.Discover(PrometheusTextParser.Parse(File.ReadAllText(Path.Combine(Fixtures(), "metrics", file))));

    [TestCase("aspnetcore_prometheus-net_8.2.1.prom", "http_request_duration_seconds", "endpoint", "code", LatencyKind.Histogram, "seconds")]
    [TestCase("aspnetcore_otel_prometheus_exporter_1.20.1-beta.1.prom", "http_server_request_duration_seconds", "http_route", "http_response_status_code", LatencyKind.Histogram, "seconds")]
    [TestCase("express_prom-bundle_8.0.0.prom", "http_request_duration_seconds", "path", "status_code", LatencyKind.Histogram, "seconds")]
    [TestCase("prometheus_server_2015_scrape_summaries.prom", "http_request_duration_microseconds", "handler", null, LatencyKind.MeanOnly, "microseconds")]
    public void Discover_SharedExposition_FindsLatencyAndRouteLabel(string file, string name, string route, string? status, LatencyKind kind, string unit)
    {
        var found = DiscoverExposition(file);
        TestContext.Out.WriteLine(file);
        foreach (var line in found.Describe())
        {
            TestContext.Out.WriteLine("  " + line);
        }

        Assert.That(found.Latency, Is.Not.Null);
        Assert.That(found.Latency!.Name, Is.EqualTo(name));
        Assert.That(found.Latency.RouteLabel, Is.EqualTo(route));
        Assert.That(found.Latency.StatusLabel, Is.EqualTo(status));
        Assert.That(found.Latency.Kind, Is.EqualTo(kind));
        Assert.That(found.Latency.Unit, Is.EqualTo(unit));
        Assert.That(found.Requests, Is.Not.Null);
        Assert.That(found.ProcessMemory ?? found.HeapMemory, Is.Not.Null);
        Assert.That(found.CpuSeconds, Is.Not.Null);
    }

    [Test]
    public void Discover_OtelExposition_FindsRuntimeCpuCountAndGcTime()
    {
        var found = DiscoverExposition("aspnetcore_otel_prometheus_exporter_1.20.1-beta.1.prom");

        Assert.That(found.CpuSeconds, Is.EqualTo("dotnet_process_cpu_time_seconds_total"));
        Assert.That(found.CpuCount, Is.EqualTo("dotnet_process_cpu_count"));
        Assert.That(found.ProcessMemory, Is.EqualTo("dotnet_process_memory_working_set_bytes"));
        Assert.That(found.Gc, Is.EqualTo(new GcMetrics("dotnet_gc_collections_total", "gc_heap_generation", "gen2", "dotnet_gc_pause_time_seconds_total")));
    }

    [Test]
    public void Discover_SummaryExposition_SaysItJudgesByTheMean()
    {
        var lines = DiscoverExposition("prometheus_server_2015_scrape_summaries.prom").Describe();

        Assert.That(lines[0], Is.EqualTo("latency: http_request_duration_microseconds by handler (no buckets: judged by the mean _sum/_count, in microseconds)"));
    }

    [Test]
    public void Discover_ApiInventory_FindsOtelHistogramFromSeriesLabels()
    {
        var api = Path.Combine(Fixtures(), "api");
        var names = (JObject.Parse(File.ReadAllText(Path.Combine(api, "label___name___values.json")))["data"] as JArray)!.Select(n => (string)n!).ToList();
        var series = (JObject.Parse(File.ReadAllText(Path.Combine(api, "series_http_server_request_duration_count.json")))["data"] as JArray)!;
        var labels = names.ToDictionary(n => n, IReadOnlySet<string> (_) => new HashSet<string>());
        labels["http_server_request_duration_seconds_count"] = series.OfType<JObject>().SelectMany(s => s.Properties().Select(p => p.Name)).Where(n => n != "__name__").ToHashSet();
        var metadata = (JObject.Parse(File.ReadAllText(Path.Combine(api, "metadata.json")))["data"] as JObject)!;
        var types = metadata.Properties().ToDictionary(p => p.Name, p => (string)p.Value[0]!["type"]!);

        var found = MetricDiscovery.Discover(new MetricInventory(labels, types));

        Assert.That(found.Latency?.Name, Is.EqualTo("http_server_request_duration_seconds"));
        Assert.That(found.Latency?.RouteLabel, Is.EqualTo("http_route"));
        Assert.That(found.Latency?.StatusLabel, Is.EqualTo("http_response_status_code"));
    }

    [Test]
    public async Task Client_EveryRecordedApiResponse_ParsesToResultOrTypedError()
    {
        var api = Path.Combine(Fixtures(), "api");
        var index = JArray.Parse(await File.ReadAllTextAsync(Path.Combine(api, "INDEX.json")));
        Assert.That(index, Has.Count.GreaterThanOrEqualTo(15));

        foreach (var entry in index.OfType<JObject>())
        {
            var file = (string)entry["file"]!;
            var path = (string)entry["path"]!;
            var status = (HttpStatusCode)(int)entry["http_status"]!;
            var body = await File.ReadAllTextAsync(Path.Combine(api, file));
            using var mock = new MockHttpMessageHandler();
            var request = mock.When("http://prometheus.test" + path).Respond(status, (string)entry["content_type"]!, body);
            var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));
            var p = entry["params"] as JObject ?? [];

            Func<Task<object>> call = path switch
            {
                "/api/v1/query" => async () => (await client.QueryAsync((string?)p["query"] ?? "", Time(p["time"]))).Data,
                "/api/v1/query_range" => async () => (await client.QueryRangeAsync(
                    (string)p["query"]!, Time(p["start"])!.Value, Time(p["end"])!.Value, PrometheusDuration.TryParse((string)p["step"]!, out var step) ? step : TimeSpan.FromSeconds(15))).Data,
                "/api/v1/series" => async () => (await client.SeriesAsync((string)p["match[]"]![0]!, Time(p["start"]), Time(p["end"]))).Data,
                "/api/v1/labels" => async () => (await client.LabelNamesAsync(Time(p["start"]), Time(p["end"]))).Data,
                "/api/v1/label/__name__/values" => async () => (await client.MetricNamesAsync(Time(p["start"]), Time(p["end"]))).Data,
                "/api/v1/metadata" => async () => (await client.MetadataAsync()).Data,
                "/api/v1/targets" => async () => (await client.TargetsAsync()).Data,
                "/api/v1/status/buildinfo" => async () => (await client.BuildInfoAsync()).Data,
                _ => throw new AssertionException($"{file}: no client call for {path}"),
            };

            if ((int)status < 300)
            {
                var data = await call();
                Assert.That(data, Is.Not.Null, file);
                CheckData(file, data);
            }
            else
            {
                var errorType = (string)JObject.Parse(body)["errorType"]!;
                var e = Assert.ThrowsAsync<PrometheusException>(async () => await call(), file);
                Assert.That(e.Status, Is.EqualTo(status), file);
                Assert.That(e.ErrorType, Is.EqualTo(errorType), file);
                Assert.That(e.Kind, Is.EqualTo(errorType == "bad_data" ? PrometheusErrorKind.BadData : PrometheusErrorKind.Execution), file);
                Assert.That(mock.GetMatchCount(request), Is.EqualTo(1), file + ": a 4xx is not retried");
            }
        }
    }

    private static void CheckData(string file, object data)
    {
        switch (file)
        {
            case "query_vector_p95_by_endpoint_prometheus-net.json":
                var vector = (PrometheusQueryResult)data;
                Assert.That(vector.Series.Single(s => s.Label("endpoint") == "api/orders/slow").Value, Is.EqualTo(0.4992));
                break;
            case "query_range_matrix_memory_all_frameworks.json":
                var matrix = (PrometheusQueryResult)data;
                Assert.That(matrix.ResultType, Is.EqualTo(PrometheusResultType.Matrix));
                Assert.That(matrix.Series, Has.Count.EqualTo(3));
                Assert.That(matrix.Series, Has.All.Property(nameof(PrometheusSeries.Samples)).Count.GreaterThan(2));
                break;
            case "query_scalar.json":
                Assert.That(((PrometheusQueryResult)data).Series.Single().Value, Is.EqualTo(3));
                break;
            case "query_vector_empty_result.json":
                Assert.That(((PrometheusQueryResult)data).Series, Is.Empty);
                break;
            case "metadata.json":
                Assert.That(((IReadOnlyDictionary<string, string>)data)["dotnet_collection_count"], Is.EqualTo("counter"));
                break;
            case "targets.json":
                Assert.That((IReadOnlyList<PrometheusTarget>)data, Has.Some.Property(nameof(PrometheusTarget.Job)).EqualTo("aspnetcore-otel"));
                break;
            case "status_buildinfo.json":
                Assert.That(((PrometheusBuildInfo)data).Version, Is.EqualTo("2.42.0+ds"));
                break;
            case "label___name___values.json":
                Assert.That((IReadOnlyList<string>)data, Does.Contain("http_server_request_duration_seconds_bucket"));
                break;
        }
    }

    private static DateTimeOffset? Time(JToken? token) =>
        token == null ? null : DateTimeOffset.FromUnixTimeSeconds((long)token);
}
