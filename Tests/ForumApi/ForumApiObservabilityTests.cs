using System.Globalization;
using System.Text.RegularExpressions;
using PerfTools.Shared.Tracing;
using PerfTools.Tests.Fakes;
using static PerfTools.Tests.ForumApi.ForumHttp;

namespace PerfTools.Tests.ForumApi;

/// <summary>What the toolkit reads from the API: /metrics names and labels, and the trace/request headers.</summary>
[TestFixture]
public sealed partial class ForumApiObservabilityTests
{
    private ForumApiProcess _api = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _api = await ForumApiProcess.StartAsync(seed: 2);
        _client = new HttpClient { BaseAddress = _api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Test]
    public async Task Metrics_AfterTraffic_EveryLineParsesAndExpectedFamiliesExist()
    {
        (await _client.GetAsync("boards/1/posts")).Dispose();
        (await _client.GetAsync("boards")).Dispose();

        var text = await _client.GetStringAsync("metrics");
        var samples = PrometheusText.Parse(text);
        var names = samples.Select(s => s.Name).ToHashSet();

        Assert.That(names, Is.SupersetOf(new[]
        {
            "http_request_duration_seconds_bucket",
            "http_requests_received_total",
            "forum_db_queries_total",
            "forum_db_query_duration_seconds_bucket",
            "forum_db_query_duration_seconds_sum",
            "forum_db_query_duration_seconds_count",
            "process_working_set_bytes",
            "process_cpu_seconds_total",
            "dotnet_total_memory_bytes",
            "dotnet_collection_count_total",
        }));
    }

    [Test]
    public async Task Metrics_RequestToTemplatedRoute_EndpointLabelIsRouteTemplate()
    {
        (await _client.GetAsync("boards/2/posts")).Dispose();

        var samples = await ScrapeAsync(_client);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PrometheusText.Sum(samples, "http_request_duration_seconds_count", ("endpoint", "/boards/{id}/posts"), ("method", "GET"), ("code", "200")),
                Is.GreaterThanOrEqualTo(1));
            Assert.That(PrometheusText.Sum(samples, "forum_db_queries_total", ("route", "/boards/{id}/posts"), ("operation", "SELECT")),
                Is.GreaterThanOrEqualTo(2));
            Assert.That(PrometheusText.Sum(samples, "forum_db_query_duration_seconds_count", ("route", "/boards/{id}/posts"), ("operation", "SELECT")),
                Is.GreaterThanOrEqualTo(2));
            // Seeding runs outside any request.
            Assert.That(PrometheusText.Sum(samples, "forum_db_queries_total", ("route", "none"), ("operation", "INSERT")),
                Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task Headers_IncomingTraceparent_TraceIdIsTheCallersTraceId()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "boards");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await _client.SendAsync(request);

        Assert.That(Header(response, "X-Trace-ID"), Is.EqualTo(traceId));
    }

    [Test]
    public async Task Headers_NoTraceparent_FreshTraceIdRequestIdAndResponseTime()
    {
        using var first = await _client.GetAsync("health");
        using var second = await _client.GetAsync("health");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Header(first, "X-Trace-ID"), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(Header(first, "X-Trace-ID"), Is.Not.EqualTo(new string('0', 32)));
            Assert.That(Header(first, "X-Trace-ID"), Is.Not.EqualTo(Header(second, "X-Trace-ID")));
            Assert.That(Header(first, "X-Request-ID"), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(Header(first, "X-Request-ID"), Is.Not.EqualTo(Header(second, "X-Request-ID")));
            Assert.That(Header(first, "X-Response-Time-Ms"), Does.Match(@"^\d+\.\d{3}$"));
            Assert.That(double.Parse(Header(first, "X-Response-Time-Ms"), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public async Task Headers_IncomingRequestId_IsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Add("X-Request-ID", "client-id-42");

        using var response = await _client.SendAsync(request);

        Assert.That(Header(response, "X-Request-ID"), Is.EqualTo("client-id-42"));
    }

    [Test]
    public async Task Headers_ErrorResponse_StillCarriesTraceHeaders()
    {
        using var response = await _client.GetAsync("boards/abc");

        Assert.That(Header(response, "X-Trace-ID"), Does.Match("^[0-9a-f]{32}$"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
