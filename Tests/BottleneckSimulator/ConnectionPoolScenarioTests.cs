using PerfTools.BottleneckSimulator;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary><c>connection_pool</c> against a loopback server standing in for the sample: what it sets up, how many
/// <c>GET /slow</c> it keeps in flight and how often, the paced fast route as the headline with the holders beside it,
/// and the skips. Its effect on a real pool is measured in <see cref="SimulatorPostgresTests"/>.</summary>
public sealed class ConnectionPoolScenarioTests
{
    private const long CoarseTickMicros = 4_000; // CLOCK_MONOTONIC_COARSE's resolution at the kernel's 250 Hz

    [Test]
    public async Task RunAsync_TwoSeconds_TwentyHoldersAndTheFastRouteAtTheRateReportedApart()
    {
        int inFlight = 0;
        int peak = 0;
        int fastCount = 0;
        await using var server = LoopbackServer.Start(async ctx =>
        {
            switch (ctx.Request.Method, ctx.Request.Target)
            {
                case ("POST", "/boards"):
                    await ctx.RespondAsync(201, "{\"id\":7,\"name\":\"x\"}");
                    break;
                case ("GET", "/boards/7"):
                    // Every 4th answer a pool timeout, as the sample's 503: the setup check is the 1st, so 5 of the 20 measured.
                    await ctx.RespondAsync(Interlocked.Increment(ref fastCount) % 4 == 0 ? 503 : 200, "{}");
                    break;
                case ("GET", "/slow"):
                    int now = Interlocked.Increment(ref inFlight);
                    InterlockedMax(ref peak, now);
                    await Task.Delay(300, ctx.Aborted);
                    Interlocked.Decrement(ref inFlight);
                    await ctx.RespondAsync(200, "{\"status\":\"ok\"}");
                    break;
                default:
                    await ctx.RespondAsync(404, "{}");
                    break;
            }
        });

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "connection_pool", "--duration", "2", "--rps", "10");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("connection_pool", "json") ?? throw new AssertionException(run.ToString()));
        IReadOnlyList<SecondStats> seconds = SimulationCsv.ReadFile(run.Report("connection_pool", "csv")!);
        RouteStats fast = stats.Routes.Single(r => r.Label == ConnectionPoolScenario.FastLabel);
        RouteStats holders = stats.Routes.Single(r => r.Label == ConnectionPoolScenario.HolderLabel);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Count("POST /boards"), Is.EqualTo(1), "the board the fast route reads");
            Assert.That(run.Count(ConnectionPoolScenario.FastLabel), Is.EqualTo(1 + 20), "the setup check, then 10/s for 2 s");
            Assert.That(peak, Is.InRange(ConnectionPoolScenario.Holders - 2, ConnectionPoolScenario.Holders), "GET /slow kept in flight");
            // Each holder sends at 0, 0.5, 1.0 and 1.5 s: an answer after 300 ms does not make it send sooner.
            Assert.That(holders.Requests, Is.InRange(60, 80), "at most one GET /slow per holder each 0.5 s");
            Assert.That((stats.Requests, stats.Ok, stats.Errors), Is.EqualTo((20L, 15L, 5L)), "the figures are the fast route's");
            Assert.That(stats.TargetRps, Is.EqualTo(10));
            Assert.That(stats.StatusCodes, Is.EqualTo(new Dictionary<int, long> { [200] = 15, [503] = 5 }));
            Assert.That(stats.LatencyHistogram.Sum(e => e.Count), Is.EqualTo(20), "the comparison's samples: the fast route");
            Assert.That(seconds.Sum(s => s.Sent), Is.EqualTo(20));
            Assert.That(fast.Headline, Is.True);
            Assert.That(fast.StatusCodes[503], Is.EqualTo(5));
            Assert.That(fast.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Http5xx"] = 5 }));
            Assert.That(holders.Headline, Is.False);
            Assert.That(holders.Ok, Is.EqualTo(holders.Requests));
            // Task.Delay counts on the kernel's coarse monotonic clock (4 ms a tick here), so a 300 ms delay can end up to
            // a tick early: measured 298.2 ms once in a full run.
            Assert.That(holders.Latency.P50Micros, Is.GreaterThanOrEqualTo(300_000 - CoarseTickMicros));
            Assert.That(holders.Latency, Is.EqualTo(holders.LatencyUncorrected), "holders send on no schedule");
            Assert.That(run.Stdout, Does.Contain("connection_pool: 20 GET /slow kept in flight while GET /boards/{id} goes at 10 requests/s"));
            Assert.That(run.Stdout, Does.Contain("    GET /slow (beside the figures above)"));
        });
    }

    [Test]
    public async Task RunAsync_NoSlowRoute_SkippedBeforeAnyLoad()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Method == "POST"
            ? ctx.RespondAsync(201, "{\"id\":7}")
            : ctx.Request.Target == "/boards/7" ? ctx.RespondAsync(200, "{}") : ctx.RespondAsync(404, "{}"));

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "connection_pool", "--duration", "2");

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("connection_pool: skipped: setup GET /slow failed: HTTP 404 Not Found"), run.ToString());
            Assert.That(server.Requests.Select(r => $"{r.Method} {r.Target}"), Is.EqualTo(new[] { "POST /boards", "GET /boards/7", "GET /slow" }));
            Assert.That(run.Report("connection_pool", "json"), Is.Null);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), "nothing was measured, as when n_plus_1 alone is skipped");
        });
    }

    [Test]
    public async Task RunAsync_FewerSlotsThanHoldersUnderAll_SkippedWithoutSending()
    {
        // Validation refuses it by name; under all, where --max-in-flight serves every scenario, it is skipped instead.
        await using var server = LoopbackServer.Start(200, "{}");
        string output = Directory.CreateTempSubdirectory("sim-pool-").FullName;
        try
        {
            SimulatorSettings settings = OptionValidator.Validate(
                new SimulatorOptions { BaseUrl = server.BaseUrl.ToString(), MaxInFlight = 20, Output = output }, out string problem)
                ?? throw new AssertionException(problem);
            using var client = new HttpLoadClient(new HttpLoadClientOptions(5, settings.MaxInFlight), TimeProvider.System);
            using var context = new ScenarioContext(ConnectionPoolScenario.Name, settings, client, TimeProvider.System, null);

            ScenarioOutcome outcome = await new ConnectionPoolScenario().RunAsync(context, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(outcome.SkipReason, Is.EqualTo(
                    "--max-in-flight 20 must be more than 20 for connection_pool, which keeps 20 GET /slow in flight besides GET /boards/{id}"));
                Assert.That(server.Requests, Is.Empty);
            });
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
