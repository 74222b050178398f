using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary><c>--warmup</c>: each scenario's own traffic reaches the target before it is measured, and none of it is in
/// the figures; the measured schedule starts after it. Ctrl+C during the warm-up is in <c>Hardening/InterruptionTests</c>,
/// bad values in <c>Hardening/BadArgumentsTests</c>.</summary>
public sealed class SimulatorWarmupTests
{
    [Test]
    public async Task RunAsync_LoadWithWarmup_ServerSeesBothReportOnlyTheMeasured()
    {
        await using var server = LoopbackServer.Start(200, "{}");

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--rps", "20", "--warmup", "1", "--duration", "1");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("load", "json") ?? throw new AssertionException(run.ToString()));
        IReadOnlyList<SecondStats> seconds = SimulationCsv.ReadFile(run.Report("load", "csv")!);
        DateTimeOffset firstSent = run.Requests.Min(r => r.StartedAt);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            // The pacer is exact: 20 due in each second, the warm-up's and the measured one's.
            Assert.That(server.Requests, Has.Count.EqualTo(40), "the warm-up's requests reach the server");
            Assert.That(stats.Requests, Is.EqualTo(20), "only the measured second is reported");
            Assert.That(stats.Ok, Is.EqualTo(20));
            Assert.That(stats.Routes.Single().Requests, Is.EqualTo(20), "nor in the route's figures");
            Assert.That(stats.WarmupSeconds, Is.EqualTo(1));
            Assert.That(stats.WarmupRequests, Is.EqualTo(20));
            Assert.That(seconds.Select(s => (s.Second, s.Sent)), Is.EqualTo(new[] { (0, 20L) }), "per-second rows start at 0 after the warm-up");
            // The 20th warm-up request is due at 950 ms; the server's receipt clock and the run's start clock differ
            // by a fraction of a millisecond, so the bound leaves 10 ms.
            Assert.That(stats.StartedAt - firstSent, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(940)),
                "the measured schedule's time zero is after the warm-up");
            Assert.That(run.Stdout, Does.Contain("load: GET /boards at 20 requests/s for 1 s after a 1 s warm-up against"));
            Assert.That(run.Stdout.Split('\n'), Has.One.EqualTo("  warm-up: 1 s at 20 rps, 20 requests sent, not recorded"));
            Assert.That(run.Stdout, Does.Contain("load: 20 requests in 1.0 s"));
            Assert.That(File.ReadAllText(Directory.GetFiles(run.OutputFolder, "simulation_report_*.html").Single()),
                Does.Contain("warm-up per scenario").And.Contain("before it is measured, not recorded"), "the page's settings say it");
        });
    }

    [Test]
    public async Task RunAsync_ConnectionPoolWithWarmup_HoldersWarmUpTooNoneOfItReported()
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("POST", "/boards") => ctx.RespondAsync(201, "{\"id\":7}"),
            ("GET", "/boards/7") or ("GET", "/slow") => ctx.RespondAsync(200, "{}"),
            _ => ctx.RespondAsync(404, "{}"),
        });

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "connection_pool", "--rps", "10", "--warmup", "1", "--duration", "1");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("connection_pool", "json") ?? throw new AssertionException(run.ToString()));
        long measured = stats.Routes.Sum(r => r.Requests);
        const int Setup = 3; // POST /boards, then one check of each route
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(stats.Routes.Single(r => r.Headline).Requests, Is.EqualTo(10), "the paced route's measured second");
            // Holders send at most once per 0.5 s each: 2 × 20 in a second, in the warm-up as in the measured run.
            Assert.That(stats.WarmupRequests, Is.InRange(10 + 30, 10 + 40), "the warm-up has the scenario's shape: holders and the paced route");
            Assert.That(server.Requests, Has.Count.EqualTo(Setup + stats.WarmupRequests + measured), "every warm-up request reached the server");
            Assert.That(stats.Routes.Single(r => !r.Headline).Requests, Is.InRange(30, 40), "the measured holders only");
        });
    }

    [Test]
    public async Task RunAsync_SlowWithWarmup_RoundsWarmUpMeasuredRoundsFromZero()
    {
        await using var server = LoopbackServer.Start(200, "{}");

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "slow", "--warmup", "1", "--duration", "1");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("slow", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(20), "2 rounds of 5 in the warm-up, 2 measured");
            Assert.That(stats.Rounds, Is.EqualTo(2));
            Assert.That(stats.Requests, Is.EqualTo(10));
            Assert.That(stats.WarmupRequests, Is.EqualTo(10));
            Assert.That(run.Stdout, Does.Contain("  warm-up: 1 s at 10 rps, 10 requests sent, not recorded"));
        });
    }

    [Test]
    public async Task RunAsync_NothingListensDuringWarmup_SaysUnreachableOnceNothingMeasuredExit1()
    {
        string url = $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}/";

        using var run = await SimulatorRun.StartAsync("--base-url", url, "--scenario", "all", "--warmup", "5", "--duration", "5", "--rps", "50");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.StderrLines, Is.EqualTo(new[] { $"unreachable: {url} (connection refused)" }));
            Assert.That(run.Requests, Has.Count.LessThan(50), "the warm-up stopped at once");
            Assert.That(run.Stdout, Does.Contain($"load: skipped: unreachable: {url} (connection refused)"));
            Assert.That(Directory.GetFiles(run.OutputFolder, "simulation_*_*.json"), Is.Empty, "nothing was measured, so no scenario report");
        });
    }

    [Test]
    public async Task RunAsync_WarmupZero_NoWarmupLineAndZeroInTheReport()
    {
        await using var server = LoopbackServer.Start(200, "{}");

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--rps", "10", "--warmup", "0", "--duration", "1");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("load", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(server.Requests, Has.Count.EqualTo(10));
            Assert.That(stats.WarmupSeconds, Is.Zero);
            Assert.That(stats.WarmupRequests, Is.Zero);
            Assert.That(run.Stdout, Does.Not.Contain("warm-up"));
        });
    }

    [Test]
    public void Validate_NoWarmupGiven_DefaultFiveSeconds()
    {
        string folder = Directory.CreateTempSubdirectory("sim-warmup-").FullName;
        try
        {
            SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { Output = folder }, out string problem);

            Assert.That(settings?.Warmup, Is.EqualTo(TimeSpan.FromSeconds(5)), problem);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_Help_ShowsWarmupWithItsDefault()
    {
        using var stdout = new StringWriter();

        int code = await SimulatorApp.RunAsync(["--help"], stdout, TextWriter.Null, CancellationToken.None);

        string help = stdout.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(help, Does.Match(@"--warmup\s+\(Default: 5\) Seconds of each scenario's own traffic"));
        });
    }
}
