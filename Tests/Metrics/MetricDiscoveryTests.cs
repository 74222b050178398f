using PerfTools.Shared.Metrics;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.Metrics;

public class MetricDiscoveryTests
{
    private static DiscoveredMetrics DiscoverText(string text) => MetricDiscovery.Discover(PrometheusTextParser.Parse(text));

    [Test]
    public void Discover_ForumApiPrometheusNet_FindsEveryRole()
    {
        var found = DiscoverText(PrometheusTestData.Read("forum_prometheus-net.prom"));

        Assert.That(found.Latency, Is.EqualTo(new LatencyMetric("http_request_duration_seconds", LatencyKind.Histogram, "seconds", 1, "endpoint", "method", "code", false)));
        Assert.That(found.Requests, Is.EqualTo(new CounterMetric("http_request_duration_seconds_count", "endpoint", "method", "code")));
        Assert.That(found.DbQueries, Is.EqualTo(new CounterMetric("forum_db_queries_total", "route", null, null)));
        Assert.That(found.DbDuration?.Name, Is.EqualTo("forum_db_query_duration_seconds"));
        Assert.That(found.DbDuration?.RouteLabel, Is.EqualTo("route"));
        Assert.That(found.ProcessMemory, Is.EqualTo("process_working_set_bytes"));
        Assert.That(found.HeapMemory, Is.EqualTo("dotnet_total_memory_bytes"));
        Assert.That(found.MemoryLimit, Is.Null);
        Assert.That(found.ProcessStartTime, Is.EqualTo("process_start_time_seconds"));
        Assert.That(found.CpuSeconds, Is.EqualTo("process_cpu_seconds_total"));
        Assert.That(found.CpuCount, Is.Null);
        Assert.That(found.Gc, Is.EqualTo(new GcMetrics("dotnet_collection_count_total", "generation", "2", null)));
    }

    [Test]
    public void Describe_ForumApi_SaysWhatWasFoundAndWhatWasNot()
    {
        var lines = DiscoverText(PrometheusTestData.Read("forum_prometheus-net.prom")).Describe();

        Assert.That(lines, Does.Contain("latency: http_request_duration_seconds by endpoint (histogram; method method, status code)"));
        Assert.That(lines, Does.Contain("db queries: forum_db_queries_total by route"));
        Assert.That(lines, Does.Contain("cpu: process_cpu_seconds_total vs 1 core (core count not exported)"));
        Assert.That(lines, Has.Some.StartsWith("memory limit: not found"));
        Assert.That(lines, Has.Some.StartsWith("gc time: not found"));
    }

    [Test]
    public void Discover_MicrometerWithoutBuckets_IsMeanOnlyWithMax()
    {
        var found = DiscoverText("""
            # TYPE http_server_requests_seconds summary
            http_server_requests_seconds_count{method="GET",status="200",uri="/owners",outcome="SUCCESS"} 10
            http_server_requests_seconds_sum{method="GET",status="200",uri="/owners",outcome="SUCCESS"} 2.5
            # TYPE http_server_requests_seconds_max gauge
            http_server_requests_seconds_max{method="GET",status="200",uri="/owners",outcome="SUCCESS"} 0.9
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause"} 3
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause"} 0.02
            """);

        Assert.That(found.Latency, Is.EqualTo(new LatencyMetric("http_server_requests_seconds", LatencyKind.MeanOnly, "seconds", 1, "uri", "method", "status", true)));
        Assert.That(found.HeapMemory, Is.EqualTo("jvm_memory_used_bytes{area=\"heap\"}"));
        Assert.That(found.Gc.PauseSeconds, Is.EqualTo("jvm_gc_pause_seconds_sum"));
        Assert.That(found.Describe(), Has.Some.Contains("no buckets: judged by the mean _sum/_count and _max"));
    }

    [Test]
    public void Discover_ActixWebProm_FindsPrefixedFamily()
    {
        var found = DiscoverText("""
            api_http_requests_duration_seconds_bucket{endpoint="/users/{id}",method="GET",status="200",le="0.1"} 5
            api_http_requests_duration_seconds_bucket{endpoint="/users/{id}",method="GET",status="200",le="+Inf"} 6
            api_http_requests_duration_seconds_sum{endpoint="/users/{id}",method="GET",status="200"} 0.4
            api_http_requests_duration_seconds_count{endpoint="/users/{id}",method="GET",status="200"} 6
            api_http_requests_total{endpoint="/users/{id}",method="GET",status="200"} 6
            """);

        Assert.That(found.Latency?.Name, Is.EqualTo("api_http_requests_duration_seconds"));
        Assert.That(found.Latency?.RouteLabel, Is.EqualTo("endpoint"));
        Assert.That(found.Latency?.StatusLabel, Is.EqualTo("status"));
        Assert.That(found.Latency?.Kind, Is.EqualTo(LatencyKind.Histogram));
    }

    [Test]
    public void Discover_Django_FindsViewLabelAndCounterWithoutStatus()
    {
        var found = DiscoverText("""
            # TYPE django_http_requests_latency_seconds_by_view_method histogram
            django_http_requests_latency_seconds_by_view_method_bucket{le="0.01",method="GET",view="polls.views.index"} 3
            django_http_requests_latency_seconds_by_view_method_count{method="GET",view="polls.views.index"} 4
            django_http_requests_latency_seconds_by_view_method_sum{method="GET",view="polls.views.index"} 0.1
            """);

        Assert.That(found.Latency?.Name, Is.EqualTo("django_http_requests_latency_seconds_by_view_method"));
        Assert.That(found.Latency?.RouteLabel, Is.EqualTo("view"));
        Assert.That(found.Latency?.StatusLabel, Is.Null);
        Assert.That(found.Requests?.Name, Is.EqualTo("django_http_requests_latency_seconds_by_view_method_count"));
    }

    [Test]
    public void Discover_MillisecondsHistogram_ConvertsUnit()
    {
        var found = DiscoverText("""
            http_request_duration_ms_bucket{route="/a",status_code="200",le="+Inf"} 1
            http_request_duration_ms_sum{route="/a",status_code="200"} 12
            http_request_duration_ms_count{route="/a",status_code="200"} 1
            """);

        Assert.That(found.Latency?.Unit, Is.EqualTo("milliseconds"));
        Assert.That(found.Latency?.SecondsPerUnit, Is.EqualTo(0.001));
        Assert.That(found.Latency?.RouteLabel, Is.EqualTo("route"));
    }

    [Test]
    public void Discover_Nothing_DescribesEveryRoleAsNotFound()
    {
        var found = DiscoverText("up 1\n");

        Assert.That(found, Is.EqualTo(DiscoveredMetrics.None));
        Assert.That(found.Describe(), Has.All.Contains("not found"));
    }

    [Test]
    public void NamesNeedingLabels_PicksOnlyCandidates()
    {
        var names = MetricDiscovery.NamesNeedingLabels(
            ["http_request_duration_seconds_bucket", "http_requests_received_total", "forum_db_queries_total", "process_cpu_seconds_total", "up"]);

        Assert.That(names, Is.EqualTo(new[] { "http_request_duration_seconds_bucket", "http_requests_received_total", "forum_db_queries_total" }));
    }

    private const string Probe = "{__name__=\"perftools_discovery_no_such_metric\"}";

    private static string Strings(params string[] values) =>
        $$"""{"status":"success","data":[{{string.Join(",", values.Select(v => "\"" + v + "\""))}}]}""";

    [Test]
    public async Task LoadInventoryAsync_FetchesNamesLabelsOfCandidatesAndMetadata()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test/api/v1/label/__name__/values")
            .WithQueryString("start", "1794999700")
            .WithQueryString("end", "1795000000")
            .Respond("application/json", PrometheusTestData.Read("names.json"));
        var probe = mock.When("http://prometheus.test/api/v1/labels").WithQueryString("match[]", Probe).Respond("application/json", Strings());
        mock.When("http://prometheus.test/api/v1/labels")
            .WithExactQueryString([new("match[]", "forum_db_queries_total"), new("start", "1794999700"), new("end", "1795000000")])
            .Respond("application/json", Strings("__name__", "operation", "route"));
        var labels = mock.When("http://prometheus.test/api/v1/labels")
            .WithQueryString("start", "1794999700")
            .WithQueryString("end", "1795000000")
            .Respond("application/json", Strings("__name__", "code", "endpoint", "instance", "job", "method"));
        var series = mock.When("http://prometheus.test/api/v1/series").Respond("application/json", PrometheusTestData.Read("series.json"));
        mock.When("http://prometheus.test/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5));
        var found = MetricDiscovery.Discover(inventory);

        Assert.That(mock.GetMatchCount(probe), Is.EqualTo(1), "one request tells whether the server filters label names by match[]");
        Assert.That(mock.GetMatchCount(labels), Is.EqualTo(3), "_bucket, _count and _sum; not process_working_set_bytes");
        Assert.That(mock.GetMatchCount(series), Is.Zero, "no answer that grows with the series count");
        Assert.That(inventory.LabelsOf("process_working_set_bytes"), Is.Empty, "not a candidate: its labels are not fetched");
        Assert.That(inventory.LabelsOf("forum_db_queries_total"), Is.EquivalentTo(new[] { "operation", "route" }), "__name__ is no label");
        Assert.That(inventory.TypeOf("forum_db_queries_total"), Is.EqualTo("counter"));
        Assert.That(found.Latency?.RouteLabel, Is.EqualTo("endpoint"));
        Assert.That(found.Requests, Is.EqualTo(new CounterMetric("http_request_duration_seconds_count", "endpoint", "method", "code")));
        Assert.That(found.DbQueries, Is.EqualTo(new CounterMetric("forum_db_queries_total", "route", null, null)));
    }

    [Test]
    public async Task LoadInventoryAsync_ServerIgnoresMatchOnLabels_ReadsTheSeriesInstead()
    {
        // Prometheus before 2.24 answers /api/v1/labels with every label name it holds, match[] or not: taken as a
        // metric's labels, prometheus-net's `quantile` or another program's `route` would be found on every candidate.
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test/api/v1/label/__name__/values").Respond("application/json", PrometheusTestData.Read("names.json"));
        var labels = mock.When("http://prometheus.test/api/v1/labels")
            .Respond("application/json", Strings("__name__", "code", "endpoint", "instance", "job", "method", "operation", "quantile", "route"));
        mock.When("http://prometheus.test/api/v1/series")
            .WithQueryString("match[]", "forum_db_queries_total")
            .Respond("application/json", """{"status":"success","data":[{"__name__":"forum_db_queries_total","operation":"select","route":"/boards"}]}""");
        var series = mock.When("http://prometheus.test/api/v1/series")
            .WithQueryString("limit", "200")
            .Respond("application/json", PrometheusTestData.Read("series.json"));
        mock.When("http://prometheus.test/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5));

        Assert.That(mock.GetMatchCount(labels), Is.EqualTo(1), "the probe only");
        Assert.That(mock.GetMatchCount(series), Is.EqualTo(3), "_bucket, _count and _sum, each with a limit");
        Assert.That(inventory.LabelsOf("http_request_duration_seconds_count"), Does.Not.Contain("quantile").And.Not.Contain("route"));
        Assert.That(MetricDiscovery.Discover(inventory).DbQueries, Is.EqualTo(new CounterMetric("forum_db_queries_total", "route", null, null)));
    }

    [Test]
    public async Task LoadInventoryAsync_LabelsRefused_ReadsTheSeriesInstead()
    {
        // A proxy in front of Prometheus may let only some API paths through.
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test/api/v1/label/__name__/values").Respond("application/json", PrometheusTestData.Read("names.json"));
        mock.When("http://prometheus.test/api/v1/labels").Respond(System.Net.HttpStatusCode.NotFound, "text/plain", "404 page not found");
        var series = mock.When("http://prometheus.test/api/v1/series").Respond("application/json", PrometheusTestData.Read("series.json"));
        mock.When("http://prometheus.test/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5));

        Assert.That(mock.GetMatchCount(series), Is.EqualTo(4));
        Assert.That(MetricDiscovery.Discover(inventory).Latency?.RouteLabel, Is.EqualTo("endpoint"));
    }

    [Test]
    public async Task LoadInventoryAsync_NoCandidate_AsksNoLabels()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test/api/v1/label/__name__/values").Respond("application/json", Strings("process_working_set_bytes", "up"));
        var labels = mock.When("http://prometheus.test/api/v1/labels").Respond("application/json", Strings());
        mock.When("http://prometheus.test/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5));

        Assert.That(mock.GetMatchCount(labels), Is.Zero);
        Assert.That(inventory.LabelNames.Keys, Is.EquivalentTo(new[] { "process_working_set_bytes", "up" }));
    }

    [Test]
    public async Task LoadInventoryAsync_MetadataUnsupported_StillDiscovers()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test/api/v1/label/__name__/values").Respond("application/json", PrometheusTestData.Read("names.json"));
        mock.When("http://prometheus.test/api/v1/labels").WithQueryString("match[]", Probe).Respond("application/json", Strings());
        mock.When("http://prometheus.test/api/v1/labels").Respond("application/json", Strings("__name__", "code", "endpoint", "method"));
        mock.When("http://prometheus.test/api/v1/metadata").Respond(System.Net.HttpStatusCode.NotFound, "text/plain", "404 page not found");
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5));

        Assert.That(inventory.Types, Is.Empty);
        Assert.That(MetricDiscovery.Discover(inventory).Latency?.Name, Is.EqualTo("http_request_duration_seconds"));
    }

    [Test]
    public async Task LoadInventoryAsync_WithScope_MatchesOnlyThatService()
    {
        using var mock = new MockHttpMessageHandler();
        var names = mock.When("http://prometheus.test/api/v1/label/__name__/values")
            .WithQueryString("match[]", "{job=\"forum\"}")
            .Respond("application/json", PrometheusTestData.Read("names.json"));
        mock.When("http://prometheus.test/api/v1/labels").WithQueryString("match[]", Probe).Respond("application/json", Strings());
        var labels = mock.When("http://prometheus.test/api/v1/labels")
            .WithQueryString("match[]", "http_request_duration_seconds_count{job=\"forum\"}")
            .Respond("application/json", Strings("__name__", "code", "endpoint", "job", "method"));
        var unscoped = mock.When("http://prometheus.test/api/v1/labels")
            .WithQueryString("match[]", "http_request_duration_seconds_count")
            .Respond("application/json", Strings("__name__", "code", "endpoint", "job", "method"));
        mock.When("http://prometheus.test/api/v1/labels").Respond("application/json", Strings());
        mock.When("http://prometheus.test/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));
        var client = new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test"));

        var inventory = await MetricDiscovery.LoadInventoryAsync(client, DateTimeOffset.FromUnixTimeSeconds(1795000000), TimeSpan.FromMinutes(5), "job=\"forum\"");

        Assert.That(mock.GetMatchCount(names), Is.EqualTo(1));
        Assert.That(mock.GetMatchCount(labels), Is.EqualTo(1));
        Assert.That(mock.GetMatchCount(unscoped), Is.Zero);
        Assert.That(MetricDiscovery.Discover(inventory).Latency?.RouteLabel, Is.EqualTo("endpoint"));
    }

    [Test]
    public void Discover_PrometheusOwnHistogramBesideMicrometer_PrefersTheUnprefixedApplicationFamily()
    {
        var found = DiscoverText("""
            prometheus_http_request_duration_seconds_bucket{handler="/api/v1/query",le="+Inf"} 3
            prometheus_http_request_duration_seconds_sum{handler="/api/v1/query"} 0.1
            prometheus_http_request_duration_seconds_count{handler="/api/v1/query"} 3
            http_server_requests_seconds_count{method="GET",status="200",uri="/owners"} 10
            http_server_requests_seconds_sum{method="GET",status="200",uri="/owners"} 2.5
            """);

        Assert.That(found.Latency?.Name, Is.EqualTo("http_server_requests_seconds"));
        Assert.That(found.Latency?.Kind, Is.EqualTo(LatencyKind.MeanOnly));
    }
}
