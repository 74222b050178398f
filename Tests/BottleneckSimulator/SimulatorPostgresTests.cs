using System.Globalization;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.ForumApi;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>connection_pool and missing_index against the real sample API on a throwaway PostgreSQL with <c>--seed 5</c>
/// (200,056 comments), each with the bottleneck and with <c>--fixed</c>, a few seconds each: the figures must show the
/// bottleneck the scenario is named after, and its fix. connection_pool runs on a smaller pool than the default 10
/// (<see cref="PoolArgs"/>), so that its pool timeouts are certain rather than a race.</summary>
[Category("Slow")]
[NonParallelizable]
public sealed class SimulatorPostgresTests
{
    private const int Seed = 5;

    /// <summary>forum_api's pool for connection_pool, its 1 s timeout given too since the 503s depend on both. The
    /// scenario's 20 holders keep 16 waiting for 4 connections, each held ≥ 0.5 s (/slow's 400 ms wait and 100 ms of CPU
    /// by the clock): if nobody gave up, the pool would serve at most 4 / 0.5 s = 8 a second and the waits would average
    /// 16 / 8 = 2 s (Little's law), twice the timeout, so requests must time out however the machine runs (a busier one
    /// only holds longer). On the default pool of 10 they average 10 / 20 = 0.5 s, and a 503 is only a matter of how far
    /// a loaded CPU stretches the holds: one full run of the suite saw none.</summary>
    private static readonly string[] PoolArgs = ["--pool-size", "4", "--pool-timeout", "1"];

    private ForumBackendApi _backend = null!;

    [OneTimeSetUp]
    public async Task StartDatabase() => _backend = await ForumBackendApi.CreateAsync(ForumBackend.Postgres);

    [OneTimeTearDown]
    public async Task StopDatabase()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    [Test]
    public async Task ConnectionPool_BuggyThenFixed_FastRouteQueuesFor503sOnlyWhileSlowHoldsThePool()
    {
        SimulationStats buggy = await RunAsync("connection_pool", fixedMode: false, PoolArgs);
        SimulationStats fixedRun = await RunAsync("connection_pool", fixedMode: true, PoolArgs);

        long buggy503 = Count503(buggy);
        await Report("connection_pool", buggy, fixedRun);
        Assert.Multiple(() =>
        {
            // A fast request queues behind the holders waiting for the 4 connections: for most of 1 s, or all of it and a 503.
            Assert.That(buggy.Latency.P50Micros, Is.GreaterThanOrEqualTo(300_000), "the fast route waits for a pooled connection");
            Assert.That(buggy.Latency.P50Micros, Is.GreaterThan(10 * fixedRun.Latency.P50Micros), "far above its --fixed p50");
            // Certain on any machine (see PoolArgs); on which route is not, so they are counted on both.
            Assert.That(buggy503, Is.GreaterThan(0), "pool timeouts, answered 503");

            Assert.That(buggy.Routes.Where(r => r.StatusCodes.ContainsKey(503)), Has.All.Matches<RouteStats>(r =>
                r.ErrorsByKind.GetValueOrDefault("Http5xx") >= r.StatusCodes[503]), "each 503 an Http5xx error of its route");
            Assert.That(Count503(fixedRun), Is.Zero);
            Assert.That(fixedRun.Routes.Single(r => !r.Headline).Label, Is.EqualTo(ConnectionPoolScenario.HolderLabel));
        });
    }

    [Test]
    public async Task MissingIndex_BuggyThenFixed_CommentsRouteSlowerWithoutTheIndex()
    {
        SimulationStats buggy = await RunAsync("missing_index", fixedMode: false);
        SimulationStats fixedRun = await RunAsync("missing_index", fixedMode: true);

        await Report("missing_index", buggy, fixedRun);
        long buggyComments = P50(buggy, MissingIndexScenario.CommentsLabel);
        long fixedComments = P50(fixedRun, MissingIndexScenario.CommentsLabel);
        Assert.Multiple(() =>
        {
            // Without the index each read scans 200,056 comments (tens of ms); with it, an index scan of a few rows.
            Assert.That(buggyComments, Is.GreaterThan(2 * fixedComments), "GET /posts/{id}/comments slower without the index");
            Assert.That(P50(buggy, MissingIndexScenario.PostsLabel), Is.GreaterThan(P50(fixedRun, MissingIndexScenario.PostsLabel)));
            Assert.That(buggy.Routes.Select(r => r.Requests), Is.All.GreaterThan(0));
        });
    }

    /// <summary>Starts the API in the mode (reusing the database and its seed, with <paramref name="apiArgs"/>) and runs
    /// the scenario for 4 s at 10/s.</summary>
    private async Task<SimulationStats> RunAsync(string scenario, bool fixedMode, params string[] apiArgs)
    {
        var api = await _backend.RestartAsync(fixedMode, Seed, apiArgs);
        using var run = await SimulatorRun.StartAsync(
            "--base-url", api.BaseUrl.ToString(), "--scenario", scenario, "--duration", "4", "--rps", "10");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        return SimulationJson.ReadFile(run.Report(scenario, "json") ?? throw new AssertionException(run.ToString()));
    }

    private static long Count503(SimulationStats s) => s.Routes.Sum(r => r.StatusCodes.GetValueOrDefault(503));

    private static long P50(SimulationStats s, string label) => s.Routes.Single(r => r.Label == label).Latency.P50Micros;

    private static Task Report(string scenario, SimulationStats buggy, SimulationStats fixedRun) =>
        TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{scenario}: ")
            + string.Join("; ", new[] { ("buggy", buggy), ("fixed", fixedRun) }.Select(m => $"{m.Item1}: " + string.Join(", ",
                m.Item2.Routes.Select(r => string.Create(CultureInfo.InvariantCulture,
                    $"{r.Label} p50 {r.Latency.P50Micros / 1000.0:0.0} ms p99 {r.Latency.P99Micros / 1000.0:0.0} ms {r.StatusCodes.GetValueOrDefault(503)}×503 of {r.Requests}"))))));
}
