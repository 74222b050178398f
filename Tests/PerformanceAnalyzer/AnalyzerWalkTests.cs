using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>How the --test-all walk and the load loop treat ids, warm-ups and workers, against a scripted server.</summary>
public class AnalyzerWalkTests
{
    [Test]
    public async Task RunAsync_CreatesFailButListsHaveStringIds_WalkFollowsListedIds()
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("GET", "/health") => ctx.RespondAsync(200, "ok"),
            ("GET", "/boards") => ctx.RespondAsync(200, """[{"id":"b-1","name":"bare array"}]"""),
            ("POST", _) => ctx.RespondAsync(404, """{"error":"nope"}"""),
            ("GET", "/boards/b-1/posts") => ctx.RespondAsync(200, """{"data":[{"id":"p-9"}]}"""),
            ("GET", "/boards/b-1" or "/posts/p-9" or "/posts/p-9/comments" or "/slow") => ctx.RespondAsync(200, "{}"),
            _ => ctx.RespondAsync(500, "unexpected path"),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all", "--iterations", "1"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Not.Contain("skipped"), run.ToString());
            Assert.That(summary.Where(s => s.Errors > 0).Select(s => s.Label), Is.EqualTo(new[] { "POST /boards", "POST /posts" }));
            Assert.That(server.Requests.Select(r => r.Target), Does.Contain("/posts/p-9/comments"));
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), "the two creates answered only errors");
        });
    }

    [Test]
    public async Task RunAsync_WarmupAndWorkers_WarmupsSentButNotCounted()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using var run = await AnalyzerRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "5", "--warmup", "2",
            "--concurrency", "2", "--delay-ms", "1", "--jaeger-url", $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}");

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(7));
            Assert.That(summary.Single().Count, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task RunAsync_TestAllWithTwelveIterations_SlowGetsEightOthersTwelve()
    {
        // Pins the /slow cap: 8, not the original's 2, so a comparison with a baseline can be significant after Holm over the walk.
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("POST", "/boards") => ctx.RespondAsync(201, """{"id":1}"""),
            ("POST", "/posts") => ctx.RespondAsync(201, """{"id":2}"""),
            ("GET", "/boards" or "/boards/1/posts") => ctx.RespondAsync(200, "[]"),
            _ => ctx.RespondAsync(200, "{}"),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all", "--iterations", "12"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(summary.Single(s => s.Label == "GET /slow").Count, Is.EqualTo(8));
            Assert.That(summary.Where(s => s.Label != "GET /slow").Select(s => s.Count), Has.All.EqualTo(12));
        });
    }

    [Test]
    public async Task RunAsync_TestAllWithAutoWarmup_WarmsTheWholeWalkBeforeMeasuringAny()
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("POST", "/boards") => ctx.RespondAsync(201, """{"id":1}"""),
            ("POST", "/posts") => ctx.RespondAsync(201, """{"id":2}"""),
            ("GET", "/boards" or "/boards/1/posts") => ctx.RespondAsync(200, "[]"),
            _ => ctx.RespondAsync(200, "{}"),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all", "--iterations", "3", "--warmup", "auto"));

        var warmups = PerformanceDataJson.ReadWarmupsFile(run.Report("performance_data_") ?? throw new AssertionException(run.ToString()));
        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        List<string> targets = server.Requests.Select(r => $"{r.Method} {r.Target}").ToList();
        int measuredFrom = targets.Count - (int)summary.Sum(s => s.Count); // the measured walk is the last requests
        int lastSlowWarmup = measuredFrom - 1;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(warmups.Keys, Is.EqualTo(summary.Select(s => s.Label)), "one warm-up per measured endpoint, in order");
            Assert.That(warmups.Values.Select(w => w.Requests), Has.All.GreaterThan(0));
            Assert.That(targets[lastSlowWarmup], Is.EqualTo("GET /slow"));
            Assert.That(targets.Take(lastSlowWarmup + 1).Count(t => t == "GET /health"), Is.EqualTo(warmups["GET /health"].Requests),
                "every /health warm-up comes before the last /slow warm-up");
            Assert.That(targets.Skip(lastSlowWarmup + 1).Take(3), Has.All.EqualTo("GET /health"),
                "the measured walk starts after the whole warm-up walk");
            Assert.That(summary.Select(s => s.Count), Has.All.EqualTo(3));
        });
    }
}
