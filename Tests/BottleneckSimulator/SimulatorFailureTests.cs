using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>Unreachable targets, failing setups, failing requests and interruption, each against a loopback server.</summary>
public sealed class SimulatorFailureTests
{
    [Test]
    public async Task RunAsync_NothingListens_SaysUnreachableOnceSkipsTheRestExit1()
    {
        string url = $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}/";
        using var run = await SimulatorRun.StartAsync("--base-url", url, "--scenario", "all", "--duration", "5", "--rps", "50");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.StderrLines, Is.EqualTo(new[] { $"unreachable: {url} (connection refused)" }));
            Assert.That(run.Requests.Select(r => r.Label).Distinct(), Is.EqualTo(new[] { "GET /boards" }), "only load was tried");
            Assert.That(run.Requests, Has.Count.LessThan(50), "the scenario stopped at once");
            Assert.That(run.Report("load", "json"), Is.Not.Null, "what was measured is still written");
            Assert.That(run.Report("n_plus_1", "json"), Is.Null);
        });
    }

    [Test]
    [Category("Slow")]
    public async Task RunAsync_AllWithPostsRefused_SetupsSkippedOthersRunExit0()
    {
        // GETs work, every POST is 404: n_plus_1, connection_pool and missing_index cannot set up (the last finds no
        // board in the list and cannot make one), memory's requests fail, load and slow succeed.
        await using var server = LoopbackServer.Start(ctx =>
            ctx.Request.Method == "POST" ? ctx.RespondAsync(404, "{\"error\":\"no\"}") : ctx.RespondAsync(200, "[]"));
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "all", "--duration", "1", "--rps", "10");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain("n_plus_1: skipped: setup POST /boards failed: HTTP 404 Not Found"));
            Assert.That(run.Count("GET /boards"), Is.EqualTo(10));
            Assert.That(run.Count("GET /slow"), Is.EqualTo(10));
            Assert.That(run.Stdout, Does.Contain("connection_pool: skipped: setup POST /boards failed: HTTP 404 Not Found"));
            Assert.That(run.Stdout, Does.Contain("missing_index: skipped: setup POST /boards failed: HTTP 404 Not Found"));
            Assert.That(run.Count("POST /boards"), Is.EqualTo(1 + 25 + 1 + 1), "n_plus_1's failed setup, memory's 5 rounds of 5, the other two setups");
            Assert.That(run.Count("GET /boards?page=1&limit=20"), Is.EqualTo(1), "missing_index looked for a board first");
            Assert.That(run.Report("n_plus_1", "json"), Is.Null);
            Assert.That(SimulationJson.ReadFile(run.Report("memory", "json")!).ErrorsByKind["Http4xx"], Is.EqualTo(25));
            Assert.That(run.Report("slow", "png"), Is.Not.Null);
        });
    }

    [Test]
    public async Task RunAsync_EveryRequestFails_Exit1()
    {
        await using var server = LoopbackServer.Start(500, "boom");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "5");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.Stderr, Does.Contain("every request failed"));
            Assert.That(SimulationJson.ReadFile(run.Report("load", "json")!).StatusCodes[500], Is.EqualTo(5));
        });
    }

    [Test]
    public async Task RunAsync_InterruptedWhileServerStalls_WritesReportsExit130()
    {
        // Every request hangs: Ctrl+C after 1.5 s must stop sending, drain for at most ~2 s, and still write reports.
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var run = await SimulatorRun.StartAsync(stop.Token,
            "--base-url", server.BaseUrl.ToString(), "--scenario", "all", "--duration", "30", "--rps", "10");
        clock.Stop();

        string json = run.Report("load", "json") ?? throw new AssertionException(run.ToString());
        SimulationStats stats = SimulationJson.ReadFile(json);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Interrupted), run.ToString());
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
            Assert.That(run.Report("load", "csv"), Is.Not.Null);
            Assert.That(run.Report("load", "png"), Is.Not.Null);
            Assert.That(run.Report("n_plus_1", "json"), Is.Null, "the remaining scenarios do not start");
            Assert.That(stats.Requests, Is.InRange(14, 17));
            Assert.That(stats.ErrorsByKind["Canceled"], Is.EqualTo(stats.Requests));
            Assert.That(stats.DurationSeconds, Is.LessThan(2));
            Assert.That(run.Stdout, Does.Contain("(interrupted)"));
        });
    }

    [Test]
    public async Task RunAsync_RateZero_ClosedModelReportsNoTarget()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "0", "--max-in-flight", "2");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("load", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(stats.TargetRps, Is.Zero);
            Assert.That(stats.MaxInFlight, Is.EqualTo(2));
            Assert.That(stats.Requests, Is.GreaterThan(50), "back to back on loopback");
            Assert.That(server.AcceptedConnections, Is.LessThanOrEqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_LoadWithMethodHeaderAndData_SendsThemAsGiven()
    {
        await using var server = LoopbackServer.Start(201, "{}");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "3",
            "--method", "post", "--endpoint", "/things", "--header", "X-Test: yes", "--data", "{\"a\":1}");

        var request = server.Requests[0];
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(3));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Target, Is.EqualTo("/things"));
            Assert.That(request.Headers["X-Test"], Is.EqualTo("yes"));
            Assert.That(System.Text.Encoding.UTF8.GetString(request.Body), Is.EqualTo("{\"a\":1}"));
        });
    }
}
