using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Fakes;
using PerfTools.Tests.ForumApi;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>Each scenario for a few seconds against the real sample Forum API: the expected requests arrive, counted
/// from the results and, for load and n_plus_1, from the API's own /metrics.</summary>
[Category("Slow")]
[NonParallelizable]
public sealed class SimulatorEndToEndTests
{
    private ForumApiProcess _api = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _api = await ForumApiProcess.StartAsync();
        _http = new HttpClient { BaseAddress = _api.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    [Test]
    public async Task Load_TwentyPerSecondForTwoSeconds_FortyGetsArriveOnTheServer()
    {
        double before = await ServerCountAsync("/boards", "GET");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "load", "--rps", "20", "--duration", "2");
        double after = await ServerCountAsync("/boards", "GET");

        string json = run.Report("load", "json") ?? throw new AssertionException($"no JSON report\n{run}");
        SimulationStats stats = SimulationJson.ReadFile(json);
        var seconds = SimulationCsv.ReadFile(run.Report("load", "csv")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Count("GET /boards"), Is.EqualTo(40));
            Assert.That(after - before, Is.EqualTo(40), "server-side http_request_duration_seconds_count");
            Assert.That(stats.Requests, Is.EqualTo(40));
            Assert.That(stats.Ok, Is.EqualTo(40));
            Assert.That(stats.TargetRps, Is.EqualTo(20));
            Assert.That(stats.AchievedRps, Is.EqualTo(20).Within(1));
            Assert.That(stats.StatusCodes[200], Is.EqualTo(40));
            Assert.That(seconds.Select(s => s.Sent), Is.EqualTo(new long[] { 20, 20 }), "evenly spread, by due second");
            Assert.That(run.Report("load", "png"), Is.Not.Null);
            Assert.That(run.Stdout, Does.Contain("latency corrected").And.Contain("latency uncorrected").And.Contain("[load]"));
        });
    }

    [Test]
    public async Task NPlusOne_TwoSeconds_SetsUpThenFetchesListAndEachPost()
    {
        double before = await ServerCountAsync("/posts/{id}", "GET");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "n_plus_1", "--duration", "2");
        double after = await ServerCountAsync("/posts/{id}", "GET");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("n_plus_1", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Count("POST /boards"), Is.EqualTo(1));
            Assert.That(run.Count("POST /posts"), Is.EqualTo(20));
            Assert.That(run.Count("GET /boards/{id}/posts"), Is.EqualTo(4), "a round every 0.5 s for 2 s");
            Assert.That(run.Count("GET /posts/{id}"), Is.EqualTo(80));
            Assert.That(after - before, Is.EqualTo(80), "server-side count of GET /posts/{id}");
            Assert.That(stats.Requests, Is.EqualTo(84), "setup is not measured");
            Assert.That(stats.Rounds, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Slow_TwoSeconds_FiveConcurrentSlowRequestsEveryHalfSecond()
    {
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "slow", "--duration", "2");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("slow", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Count("GET /slow"), Is.EqualTo(20));
            Assert.That(run.Requests.Select(r => r.Label).Distinct(), Is.EqualTo(new[] { "GET /slow" }));
            Assert.That(stats.Rounds, Is.EqualTo(4));
            Assert.That(stats.TargetRps, Is.EqualTo(10));
            Assert.That(stats.LatencyUncorrected.P50Micros, Is.GreaterThan(400_000), "/slow sleeps 400 ms");
        });
    }

    [Test]
    public async Task Memory_OneSecond_TwentyFiveLargeBoardPosts()
    {
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "memory", "--duration", "1");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("memory", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Count("POST /boards"), Is.EqualTo(25));
            Assert.That(run.Requests.Select(r => r.Method).Distinct(), Is.EqualTo(new[] { "POST" }));
            Assert.That(stats.StatusCodes[201], Is.EqualTo(25));
            Assert.That(stats.Rounds, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task ConnectionPool_TwoSeconds_FastRouteAtTheRateHoldersBeside()
    {
        // SQLite has no pool limit: this checks what arrives, not the starvation (see SimulatorPostgresTests).
        double before = await ServerCountAsync("/boards/{id}", "GET");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "connection_pool", "--rps", "10", "--duration", "2");
        double after = await ServerCountAsync("/boards/{id}", "GET");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("connection_pool", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(after - before, Is.EqualTo(1 + 20), "server-side count: the setup check, then 10/s for 2 s");
            Assert.That(stats.Requests, Is.EqualTo(20));
            Assert.That(stats.Routes.Select(r => (r.Label, r.Headline)), Is.EqualTo(new[] { ("GET /boards/{id}", true), ("GET /slow", false) }));
            Assert.That(stats.Routes[1].Requests, Is.InRange(40, 80), "20 holders, each at most every 0.5 s, each call ≥ 0.5 s");
        });
    }

    [Test]
    public async Task MissingIndex_TwoSeconds_BothRoutesTakingTurnsArriveOnTheServer()
    {
        double commentsBefore = await ServerCountAsync("/posts/{id}/comments", "GET");
        using var run = await SimulatorRun.StartAsync(
            "--base-url", _api.BaseUrl.ToString(), "--scenario", "missing_index", "--rps", "10", "--duration", "2");
        double commentsAfter = await ServerCountAsync("/posts/{id}/comments", "GET");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("missing_index", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(commentsAfter - commentsBefore, Is.EqualTo(10), "server-side count of GET /posts/{id}/comments");
            Assert.That(stats.Routes.Select(r => (r.Label, r.Requests, r.Ok)), Is.EqualTo(new[]
            {
                ("GET /boards/{id}/posts", 10L, 10L), ("GET /posts/{id}/comments", 10L, 10L),
            }));
        });
    }

    private async Task<double> ServerCountAsync(string endpoint, string method) =>
        PrometheusText.Sum(await ForumHttp.ScrapeAsync(_http), "http_request_duration_seconds_count", ("endpoint", endpoint), ("method", method));
}
