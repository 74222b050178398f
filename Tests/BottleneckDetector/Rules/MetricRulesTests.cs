using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using PerfTools.Tests.Metrics;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>Every metric rule end to end: discovery from the Forum API's exposition, queries against a MockHttp Prometheus.</summary>
public class MetricRulesTests
{
    private const long Now = 1795000300;

    private sealed record Scenario(double P95Seconds, double DbQueriesPerSecond, double ErrorsPerSecond, double MemorySlopeBytesPerSecond);

    private static readonly Scenario Healthy = new(0.08, 4, 0, 0);
    private static readonly Scenario ForumUnderLoad = new(0.9, 44, 0.5, 200_000);

    [Test]
    public void All_ListsEachRuleOnceWithItsContractId()
    {
        Assert.That(MetricRules.All.Select(r => r.Id), Is.EqualTo(new[]
        {
            "slow_endpoint", "error_rate", "high_db_usage", "n_plus_one", "connection_pool", "missing_index", "memory_growth", "high_memory",
            "cpu_saturation", "gc_pressure",
        }));
    }

    [Test]
    public async Task All_HealthyService_YieldsNoWarningOrCritical()
    {
        var findings = await RunAll(Healthy);

        Assert.That(findings.Where(f => f.Severity >= Severity.Warning), Is.Empty);
    }

    [Test]
    public async Task All_ForumUnderLoad_FindsSlowEndpointNPlusOneErrorsAndGrowth()
    {
        var findings = await RunAll(ForumUnderLoad);

        Assert.That(findings.Select(f => f.Rule), Is.EquivalentTo(new[] { "slow_endpoint", "error_rate", "n_plus_one", "memory_growth", "memory_growth" }));
        var slow = findings.Single(f => f.Rule == "slow_endpoint");
        Assert.That(slow.Target, Is.EqualTo("/boards/{id}/posts"));
        Assert.That(slow.Evidence, Is.EqualTo("histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))"));
        Assert.That(slow.Recommendation, Does.Contain("512–1024 ms"));
        var nPlusOne = findings.Single(f => f.Rule == "n_plus_one");
        Assert.That(nPlusOne.Value, Is.EqualTo(22));
        Assert.That(nPlusOne.Evidence, Does.Contain("sum by (route) (rate(forum_db_queries_total[5m]))"));
        var errors = findings.Single(f => f.Rule == "error_rate");
        Assert.That(errors.Evidence, Does.Contain("code=~\"5..\""));
    }

    [Test]
    public async Task EvaluateAsync_AtGiven_SendsThatTimeWithEveryQuery()
    {
        using var mock = FakePrometheus(Healthy, out var times);
        var ctx = Context(mock, DateTimeOffset.FromUnixTimeSeconds(1790000000));

        await new SlowEndpointRule().EvaluateAsync(ctx, CancellationToken.None);

        Assert.That(times, Is.Not.Empty.And.All.EqualTo("1790000000"));
        Assert.That(mock.GetMatchCount(_edgesAt1790000000!), Is.EqualTo(1), "the bucket edges are those of the window ending at --at");
    }

    [Test]
    public async Task EvaluateAsync_SlowEndpointBucketEdges_AskedAsLabelValuesNotAQueryOverEveryBucketSeries()
    {
        // Issue 14: an instant `count by (le)` read every bucket series (0.7 s of 170,000 on 2 cores); the label values
        // of le answer the same edges, one per edge.
        using var mock = FakePrometheus(ForumUnderLoad, out _);
        var ctx = Context(mock, null);

        var findings = await new SlowEndpointRule().EvaluateAsync(ctx, CancellationToken.None);

        Assert.That(mock.GetMatchCount(_edges!), Is.EqualTo(1));
        Assert.That(findings.Single().Recommendation, Does.Contain("512–1024 ms"));
    }

    [Test]
    public async Task InstantAsync_SameQueryTwice_AskedOnce()
    {
        // The chart's p95 by route is slow_endpoint's query: on a big server each costs seconds (issue 14).
        using var mock = new MockHttpMessageHandler();
        var query = mock.When("*/api/v1/query").Respond(_ => Vector((new JObject { ["endpoint"] = "/boards" }, 0.9)));
        var ctx = Context(mock, null);
        var copy = ctx with { Target = TargetFacts.Unknown };

        var first = await ctx.InstantAsync("histogram_quantile(0.95, x)", CancellationToken.None);
        var second = await copy.InstantAsync("histogram_quantile(0.95, x)", CancellationToken.None);
        await (ctx with { At = DateTimeOffset.FromUnixTimeSeconds(Now - 60) }).InstantAsync("histogram_quantile(0.95, x)", CancellationToken.None);

        Assert.That(second, Is.SameAs(first));
        Assert.That(mock.GetMatchCount(query), Is.EqualTo(2), "once for now, once for the other instant");
    }

    [Test]
    public async Task EvaluateAsync_ServerWarnings_ReachTheWarnCallbackWithTheQuery()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("application/json", PrometheusTestData.Read("warnings.json"));
        var warnings = new List<string>();
        var ctx = Context(mock, null) with { Warn = warnings.Add };

        await new CpuSaturationRule().EvaluateAsync(ctx, CancellationToken.None);

        Assert.That(warnings, Has.Some.StartsWith("partial result: store unavailable (sum by (job, instance) (rate(process_cpu_seconds_total[5m])))"));
    }

    [Test]
    public async Task EvaluateAsync_WithScope_EveryQuerySelectsThatService()
    {
        using var mock = new MockHttpMessageHandler();
        var queries = new List<string>();
        mock.When("*/api/v1/label/le/values").Respond(req =>
        {
            queries.Add(HttpUtility.ParseQueryString(req.RequestUri!.Query)["match[]"]!);
            return Strings();
        });
        mock.When("*").Respond(req =>
        {
            queries.Add(HttpUtility.ParseQueryString(req.RequestUri!.Query)["query"]!);
            return Vector();
        });
        var ctx = Context(mock, null) with { Scope = "job=\"forum\"" };

        foreach (var rule in MetricRules.All)
        {
            await rule.EvaluateAsync(ctx, CancellationToken.None);
        }

        Assert.That(queries, Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(queries, Has.All.Contains("{job=\"forum\""));
        Assert.That(queries, Does.Contain("sum by (endpoint) (rate(http_request_duration_seconds_count{job=\"forum\",code=~\"5..\"}[5m]))"));
        Assert.That(queries, Does.Contain("http_request_duration_seconds_bucket{job=\"forum\"}"), "the bucket edges of that service");
    }

    [Test]
    public async Task EvaluateAsync_SlowEndpointBucketEdgeNotANumber_EdgeLeftOut()
    {
        // Regression: an le label that is not a number (or a series without one) threw FormatException out of the rule.
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/label/le/values").Respond(_ => Strings("0.512", "abc", "", "1.024"));
        mock.When("*/api/v1/query").Respond(_ => Vector((new JObject { ["endpoint"] = "/boards/{id}/posts" }, 0.9)));

        var findings = await new SlowEndpointRule().EvaluateAsync(Context(mock, null), CancellationToken.None);

        Assert.That(findings.Single().Recommendation, Does.Contain("512–1024 ms"));
    }

    private async Task<List<Finding>> RunAll(Scenario scenario)
    {
        using var mock = FakePrometheus(scenario, out _);
        var ctx = Context(mock, null);
        var findings = new List<Finding>();
        foreach (var rule in MetricRules.All)
        {
            findings.AddRange(await rule.EvaluateAsync(ctx, CancellationToken.None));
        }

        return findings;
    }

    private static MetricRuleContext Context(MockHttpMessageHandler mock, DateTimeOffset? at) => new(
        new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test")),
        MetricDiscovery.Discover(PrometheusTextParser.Parse(PrometheusTestData.Read("forum_prometheus-net.prom"))),
        at,
        MetricRuleContext.DefaultWindow,
        new DetectorThresholds(),
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)));

    // The label-values requests of FakePrometheus: the window ending at Now, and at 1790000000 (--at).
    private MockedRequest? _edges;
    private MockedRequest? _edgesAt1790000000;

    private MockHttpMessageHandler FakePrometheus(Scenario s, out List<string> times)
    {
        var seenTimes = new List<string>();
        times = seenTimes;
        var mock = new MockHttpMessageHandler();
        var job = new JObject { ["job"] = "forum", ["instance"] = "localhost:5000" };
        string[] edges = ["0.064", "0.128", "0.256", "0.512", "1.024", "+Inf"];
        _edgesAt1790000000 = mock.When("*/api/v1/label/le/values")
            .WithExactQueryString([new("match[]", "http_request_duration_seconds_bucket"), new("start", "1789999700"), new("end", "1790000000")])
            .Respond(_ => Strings(edges));
        _edges = mock.When("*/api/v1/label/le/values")
            .WithExactQueryString([new("match[]", "http_request_duration_seconds_bucket"), new("start", (Now - 300).ToString(CultureInfo.InvariantCulture)), new("end", Now.ToString(CultureInfo.InvariantCulture))])
            .Respond(_ => Strings(edges));
        mock.When("*/api/v1/query_range").Respond(req =>
        {
            var q = HttpUtility.ParseQueryString(req.RequestUri!.Query);
            var start = double.Parse(q["start"]!, CultureInfo.InvariantCulture);
            var values = new JArray(Enumerable.Range(0, 61).Select(i =>
                new JArray(start + (i * 5), (200e6 + (s.MemorySlopeBytesPerSecond * i * 5) + (i % 3 * 50_000)).ToString(CultureInfo.InvariantCulture))));
            return Json("matrix", new JArray(new JObject { ["metric"] = job, ["values"] = values }));
        });
        mock.When("*/api/v1/query").Respond(req =>
        {
            var q = HttpUtility.ParseQueryString(req.RequestUri!.Query);
            var query = q["query"]!;
            if (q["time"] is { } time)
            {
                seenTimes.Add(time);
            }

            var route = new JObject { ["endpoint"] = "/boards/{id}/posts" };
            return query switch
            {
                _ when query.StartsWith("histogram_quantile", StringComparison.Ordinal) => Vector((route, s.P95Seconds)),
                _ when query.Contains("5..", StringComparison.Ordinal) => Vector((route, s.ErrorsPerSecond)),
                _ when query.StartsWith("sum by (endpoint) (rate(http_request_duration_seconds_count", StringComparison.Ordinal) => Vector((route, 2.0)),
                _ when query.StartsWith("sum by (route) (rate(forum_db_queries_total", StringComparison.Ordinal) =>
                    Vector((new JObject { ["route"] = "/boards/{id}/posts" }, s.DbQueriesPerSecond)),
                _ when query.StartsWith("sum(rate(forum_db_queries_total", StringComparison.Ordinal) => Vector((new JObject(), s.DbQueriesPerSecond)),
                "process_start_time_seconds" => Vector((job, Now - 7200.0)),
                _ when query.Contains("process_working_set_bytes", StringComparison.Ordinal) => Vector((job, 210e6)),
                _ when query.Contains("process_cpu_seconds_total", StringComparison.Ordinal) => Vector((job, 0.2)),
                _ when query.Contains("dotnet_collection_count_total", StringComparison.Ordinal) => Vector((job, 0.01)),
                _ => Vector(),
            };
        });
        return mock;
    }

    private static HttpResponseMessage Strings(params string[] values) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            new JObject { ["status"] = "success", ["data"] = new JArray(values) }.ToString(), System.Text.Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Vector(params (JObject Labels, double Value)[] rows) =>
        Json("vector", new JArray(rows.Select(r => new JObject
        {
            ["metric"] = r.Labels,
            ["value"] = new JArray(Now, r.Value.ToString(CultureInfo.InvariantCulture)),
        })));

    private static HttpResponseMessage Json(string resultType, JArray result) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            new JObject { ["status"] = "success", ["data"] = new JObject { ["resultType"] = resultType, ["result"] = result } }.ToString(),
            System.Text.Encoding.UTF8,
            "application/json"),
    };
}
