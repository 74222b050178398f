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

/// <summary>connection_pool from metrics, for each convention: discovery from the names its exporter writes, the rule's
/// PromQL against a MockHttp Prometheus that answers each kind of query with fixed series.</summary>
public class ConnectionPoolRuleTests
{
    private const long Now = 1795000300;
    private const int Points = 61; // a 5-minute window at its 5 s step

    /// <summary>What the fake Prometheus answers: one series per instance with these labels.</summary>
    private sealed record Answers
    {
        public double[]? Waiting { get; init; }

        public double? Timeouts { get; init; }

        public double[]? Usage { get; init; }

        public double? Max { get; init; }

        public double? WaitMs { get; init; }

        public double? Acquisitions { get; init; }

        public string[] Instances { get; init; } = ["10.0.0.7:8080"];
    }

    private static double[] All(double value) => Enumerable.Repeat(value, Points).ToArray();

    [Test]
    public async Task Npgsql10_WaitersAllWindowAndTimeouts_CriticalNamingNpgsqlSettings()
    {
        var (findings, queries) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = All(10), Timeouts = 14, Usage = All(1), Max = 10 });

        var f = findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Rule, Is.EqualTo("connection_pool"));
            Assert.That(f.Severity, Is.EqualTo(Severity.Critical));
            Assert.That(f.Target, Is.EqualTo("connection pool forum"));
            Assert.That((f.Value, f.Unit, f.Threshold), Is.EqualTo((10.0, "waiting requests", (double?)null)));
            Assert.That(f.Evidence, Does.StartWith(
                "sum by (db_client_connection_pool_name, instance) (npgsql_db_client_connection_npgsql_pending_requests) over 5m: waiters in 100 % of the points, mean 10, peak 10"));
            Assert.That(f.Evidence, Does.Contain(
                "sum by (db_client_connection_pool_name, instance) ((increase(npgsql_db_client_connection_npgsql_timeouts[5m]) and " +
                "last_over_time(npgsql_db_client_connection_npgsql_timeouts[5m] offset 5m)) or (last_over_time(npgsql_db_client_connection_npgsql_timeouts[5m]) " +
                "unless last_over_time(npgsql_db_client_connection_npgsql_timeouts[5m] offset 5m))) = 14"));
            Assert.That(f.Recommendation, Does.StartWith("Requests waited for a connection from pool forum in 100 % of the 5m window (10 waiting on average, 10 at most); " +
                "14 requests gave up waiting for a connection (timeouts); 100 % of pool forum of 10 connections were in use on average"));
            Assert.That(f.Recommendation, Does.Contain("Hold a connection only around the queries").And.Contain("Maximum Pool Size").And.Contain("Timeout"));
            Assert.That(f.NextSteps, Has.Some.StartsWith("watch the pool live while under load: dotnet-counters monitor -p PID --counters Npgsql"));
            Assert.That(queries, Has.Some.EqualTo(
                "sum by (db_client_connection_pool_name, instance) (npgsql_db_client_connection_count{db_client_connection_state=\"used\"}) / " +
                "sum by (db_client_connection_pool_name, instance) (npgsql_db_client_connection_max > 0)"));
        });
    }

    // Regression: the demo's 8 s connection_pool scenario in a 100 s round held 20 requests waiting, but in too few of the
    // round's points for the whole window's limits, and without timeouts nothing was reported.
    [Test]
    public void BusiestStretch_ShortIncidentInALongWindow_FoundWithItsShareAndEnd()
    {
        // 120 s at a 2 s step: waiters at the points 20 to 25 only (12 s).
        var values = Enumerable.Range(0, 61).Select(i => i is >= 20 and <= 25 ? 18.0 : 0).ToArray();
        var waiting = PromData.Range(values, 2, ("db_client_connection_pool_name", "forum"));

        var (stretch, end, share) = ConnectionPoolRule.BusiestStretch(waiting, TimeSpan.FromSeconds(120))!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(stretch, Is.EqualTo(TimeSpan.FromSeconds(30)), "a quarter of the window, 30 s at least");
            Assert.That(share, Is.EqualTo(6 / 15.0).Within(1e-9), "6 of the stretch's 15 points");
            Assert.That(end, Is.EqualTo(1795000000 + 25 * 2), "the first stretch that holds the whole incident");
        });
    }

    [Test]
    public void BusiestStretch_NobodyWaitedOrTheWindowIsAStretch_Null()
    {
        Assert.That(ConnectionPoolRule.BusiestStretch(PromData.Range(new double[61], 2), TimeSpan.FromSeconds(120)), Is.Null);
        Assert.That(ConnectionPoolRule.BusiestStretch(PromData.Range(Enumerable.Repeat(3.0, 31).ToArray(), 1), TimeSpan.FromSeconds(30)), Is.Null);
    }

    [Test]
    public async Task Npgsql10_HealthyServiceWithOneScrapesBlip_NothingFound()
    {
        // A fixed service under load: a few waiters for one scrape, no timeout, a third of the pool busy.
        var waiting = All(0);
        waiting[30] = 5;

        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = waiting, Timeouts = 0, Usage = All(0.3), Max = 10 });

        Assert.That(findings, Is.Empty);
    }

    [Test]
    public async Task Npgsql10_ABurstOfManyWaitersInAFewPoints_NotSustained()
    {
        // 12 waiters in 8 of 61 points: a mean above 1, but present in 13 % of the window only.
        var waiting = All(0);
        for (int i = 20; i < 28; i++)
        {
            waiting[i] = 12;
        }

        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = waiting, Usage = All(0.5), Max = 10 });

        Assert.That(findings, Is.Empty);
    }

    [Test]
    public async Task Npgsql10_PendingSeriesMissingAtMostPoints_CountsThemAsNoneWaiting()
    {
        // Npgsql creates the pending series with the first wait: absent points are points without waiters.
        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] });

        Assert.That(findings, Is.Empty, "10 of 61 points with waiters");
    }

    [Test]
    public async Task Npgsql10_WaitersAllWindowButTheQueueDrainsInMilliseconds_NothingFound()
    {
        // --fixed under 20 clients in a loop: 1,780 commands/s through a pool of 10, 3 waiting on average: 1.7 ms each.
        var (findings, queries) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = All(3), Timeouts = 0, Usage = All(0.54), Max = 10, Acquisitions = 1780 });

        Assert.That(findings, Is.Empty);
        Assert.That(queries, Has.Some.EqualTo("sum by (db_client_connection_pool_name, instance) (rate(npgsql_db_client_operation_duration_count[5m]))"));
    }

    [Test]
    public async Task Npgsql10_WaitersAndSlowTurnover_FindingSaysTheWaitPerAcquisition()
    {
        // The pool held through /slow: 7 waiting while 16 commands a second get through, about 440 ms each.
        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = All(7), Timeouts = 0, Usage = All(0.8), Max = 10, Acquisitions = 16 });

        var f = findings.Single();
        Assert.That(f.Severity, Is.EqualTo(Severity.Critical));
        Assert.That(f.Recommendation, Does.Contain("(7 waiting on average, 7 at most; about 438 ms of wait per acquisition by Little's law)"));
        Assert.That(f.Evidence, Does.Contain("(rate(npgsql_db_client_operation_duration_count[5m])) = 16/s; about 438 ms of wait per acquisition"));
    }

    [Test]
    public async Task WaitersAndNothingAcquired_AStuckPoolIsAFinding()
    {
        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = All(10), Acquisitions = 0 });

        Assert.That(findings.Single().Recommendation, Does.Contain("; no connection was taken meanwhile)"));
    }

    [Test]
    public async Task Npgsql9_WaitersHalfTheWindow_Warning()
    {
        var waiting = Enumerable.Range(0, Points).Select(i => i % 2 == 0 ? 4.0 : 0).ToArray(); // 31 of 61

        var (findings, queries) = await RunAsync(PoolExpositions.Npgsql9, new Answers { Waiting = waiting, Timeouts = 0, Usage = All(0.7), Max = 20 });

        var f = findings.Single();
        Assert.That(f.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(f.Target, Is.EqualTo("connection pool orders"));
        Assert.That(queries, Has.Some.EqualTo("sum by (pool_name, instance) (npgsql_db_client_connections_pending_requests)"));
        Assert.That(f.Recommendation, Does.Contain("Maximum Pool Size"));
    }

    [Test]
    public async Task OpenTelemetry_TimeoutsOnly_WarningThatNamesNoLibrarySetting()
    {
        var (findings, queries) = await RunAsync(PoolExpositions.OpenTelemetry, new Answers { Waiting = All(0), Timeouts = 3, Usage = All(0.4), Max = 10 });

        var f = findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Severity, Is.EqualTo(Severity.Warning));
            Assert.That((f.Value, f.Unit, f.Threshold), Is.EqualTo((3.0, "timeouts", (double?)1)));
            Assert.That(f.Target, Is.EqualTo("connection pool main"));
            Assert.That(f.Recommendation, Does.StartWith("3 requests gave up waiting for a connection (timeouts)"));
            Assert.That(f.Recommendation, Does.Not.Contain("Maximum Pool Size").And.Not.Contain("maximumPoolSize").And.Not.Contain("SetMaxOpenConns"),
                "the convention alone does not reveal the library");
            Assert.That(f.NextSteps, Has.Count.EqualTo(1), "only the trace step: no library's tool");
            Assert.That(queries, Has.Some.Contains("increase(db_client_connection_timeouts_total[5m])"));
        });
    }

    [Test]
    public async Task OpenTelemetryLegacy_SlowMeanWaitFromTheHistogram_WarningInMs()
    {
        var (findings, queries) = await RunAsync(PoolExpositions.OpenTelemetryLegacy, new Answers { Waiting = All(0), Timeouts = 0, WaitMs = 160 });

        var f = findings.Single();
        Assert.That((f.Severity, f.Value, f.Unit), Is.EqualTo((Severity.Warning, 160.0, "ms")));
        Assert.That(f.Recommendation, Does.StartWith("Getting a connection took 160.0 ms on average"));
        Assert.That(queries, Has.Some.EqualTo(
            "sum by (pool_name, instance) (rate(db_client_connections_wait_time_milliseconds_sum[5m])) / " +
            "sum by (pool_name, instance) (rate(db_client_connections_wait_time_milliseconds_count[5m]) > 0) * 1"));
    }

    [Test]
    public async Task HikariCp_PendingMostOfTheWindow_WarningNamingHikariSettings()
    {
        var waiting = Enumerable.Range(0, Points).Select(i => i < 45 ? 7.0 : 0).ToArray(); // 74 %

        var (findings, queries) = await RunAsync(PoolExpositions.HikariCp, new Answers { Waiting = waiting, Timeouts = 0, Usage = All(1), Max = 10, WaitMs = 20 });

        var f = findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(f.Target, Is.EqualTo("connection pool HikariPool-1"));
            Assert.That(f.Recommendation, Does.Contain("maximumPoolSize").And.Contain("connectionTimeout"));
            Assert.That(f.NextSteps, Has.Some.Contains("leakDetectionThreshold"));
            Assert.That(queries, Has.Some.EqualTo("sum by (pool, instance) (hikaricp_connections_pending)"));
            Assert.That(queries, Has.Some.Contains("rate(hikaricp_connections_acquire_seconds_sum[5m])").And.EndsWith("* 1000"));
        });
    }

    [Test]
    public async Task GoDatabaseSql_WaitSecondsRateAllWindow_CriticalNamingSetMaxOpenConns()
    {
        // 3 goroutines waiting on average, 2 waits a second: 1.5 s each.
        var (findings, queries) = await RunAsync(PoolExpositions.GoSql, new Answers { Waiting = All(3), Usage = All(1), Max = 5, Acquisitions = 2 });

        var f = findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Severity, Is.EqualTo(Severity.Critical));
            Assert.That(f.Target, Is.EqualTo("connection pool orders"));
            Assert.That(f.Recommendation, Does.Contain("db.SetMaxOpenConns"));
            Assert.That(f.NextSteps, Has.Some.Contains("database/sql.(*DB).conn"));
            Assert.That(queries, Has.Some.EqualTo("sum by (db_name, instance) (rate(go_sql_wait_duration_seconds_total[1m]))"));
            Assert.That(queries, Has.None.Contains("increase("), "database/sql counts no timeouts");
            Assert.That(f.Recommendation, Does.Contain("about 1500 ms per wait"));
        });
    }

    [Test]
    public async Task PoolFullNobodyWaiting_WarningOnUseAlone()
    {
        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10, new Answers { Waiting = All(0), Timeouts = 0, Usage = All(0.9), Max = 10 });

        var f = findings.Single();
        Assert.That((f.Severity, f.Unit, f.Threshold), Is.EqualTo((Severity.Warning, "ratio", (double?)0.8)));
        Assert.That(f.Value, Is.EqualTo(0.9).Within(1e-9));
        Assert.That(f.Recommendation, Does.Contain("the pool runs at its limit, though nobody waited yet"));
    }

    [Test]
    public async Task OnePoolOnTwoInstances_EachNamedWithItsInstance()
    {
        var (findings, _) = await RunAsync(PoolExpositions.Npgsql10,
            new Answers { Waiting = All(10), Timeouts = 0, Instances = ["10.0.0.7:8080", "10.0.0.8:8080"] });

        Assert.That(findings.Select(f => f.Target), Is.EqualTo(new[] { "connection pool forum (10.0.0.7:8080)", "connection pool forum (10.0.0.8:8080)" }));
    }

    [Test]
    public async Task NoPoolMetrics_AsksNothing()
    {
        var (findings, queries) = await RunAsync("go_goroutines 1", new Answers());

        Assert.That(findings, Is.Empty);
        Assert.That(queries, Is.Empty);
    }

    private static async Task<(IReadOnlyList<Finding> Findings, List<string> Queries)> RunAsync(string exposition, Answers answers)
    {
        DiscoveredMetrics discovered = MetricDiscovery.Discover(PrometheusTextParser.Parse(exposition));
        string? poolLabel = discovered.Pools.FirstOrDefault()?.PoolLabel;
        string poolName = poolLabel is null ? "" : PoolName(exposition, poolLabel);
        var queries = new List<string>();
        using var mock = new MockHttpMessageHandler();
        JObject Labels(string instance)
        {
            var labels = new JObject { ["instance"] = instance };
            if (poolLabel is not null)
            {
                labels[poolLabel] = poolName;
            }

            return labels;
        }

        mock.When("*/api/v1/query_range").Respond(req =>
        {
            var q = HttpUtility.ParseQueryString(req.RequestUri!.Query);
            string query = q["query"]!;
            queries.Add(query);
            double start = double.Parse(q["start"]!, CultureInfo.InvariantCulture);
            double[]? values = query.Contains(" / ", StringComparison.Ordinal) ? answers.Usage : answers.Waiting;
            return Json("matrix", new JArray((values is null ? [] : answers.Instances).Select(i => new JObject
            {
                ["metric"] = Labels(i),
                ["values"] = new JArray(values!.Select((v, n) => new JArray(start + (n * 5), v.ToString(CultureInfo.InvariantCulture)))),
            })));
        });
        mock.When("*/api/v1/query").Respond(req =>
        {
            string query = HttpUtility.ParseQueryString(req.RequestUri!.Query)["query"]!;
            queries.Add(query);
            double? value = query switch
            {
                _ when query.Contains("increase(", StringComparison.Ordinal) => answers.Timeouts,
                _ when query.StartsWith("max by", StringComparison.Ordinal) => answers.Max,
                _ when query.Contains("_sum[", StringComparison.Ordinal) => answers.WaitMs,
                _ when query.Contains("rate(", StringComparison.Ordinal) => answers.Acquisitions,
                _ => null,
            };
            return Json("vector", new JArray((value is null ? [] : answers.Instances).Select(i => new JObject
            {
                ["metric"] = Labels(i),
                ["value"] = new JArray(Now, value!.Value.ToString(CultureInfo.InvariantCulture)),
            })));
        });
        var ctx = new MetricRuleContext(
            new PrometheusClient(mock.ToHttpClient(), new Uri("http://prometheus.test")), discovered, null,
            MetricRuleContext.DefaultWindow, new DetectorThresholds(), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)));
        Assert.That(ctx.Points, Is.EqualTo(Points));
        return (await new ConnectionPoolRule().EvaluateAsync(ctx, CancellationToken.None), queries);
    }

    /// <summary>The pool label's value in the exposition (the first one): forum, orders, main, HikariPool-1.</summary>
    private static string PoolName(string exposition, string label)
    {
        int at = exposition.IndexOf(label + "=\"", StringComparison.Ordinal) + label.Length + 2;
        return exposition[at..exposition.IndexOf('"', at)];
    }

    private static HttpResponseMessage Json(string resultType, JArray result) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            new JObject { ["status"] = "success", ["data"] = new JObject { ["resultType"] = resultType, ["result"] = result } }.ToString(),
            System.Text.Encoding.UTF8,
            "application/json"),
    };
}
